import { setTimeout as delay } from 'node:timers/promises';

/** Polls `probe` until it returns something truthy; throws naming `what` after `timeoutMs` (a generous budget, not a speed check). */
export async function until<T>(what: string, timeoutMs: number, probe: () => T | Promise<T>, everyMs = 50): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await delay(everyMs);
  }
}
