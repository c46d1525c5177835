import { setTimeout as delay } from 'node:timers/promises';

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * The one poll-until of the tests and benches: calls `probe` every `everyMs` until it returns something
 * truthy and returns that; after `timeoutMs` (a generous budget, not a speed check) throws naming `what`
 * (a function — sync or async — is called then, to say what was last seen).
 */
export async function until<T>(
  what: string | (() => string | Promise<string>),
  timeoutMs: number,
  probe: () => T | Promise<T>,
  everyMs = 50,
): Promise<Truthy<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as Truthy<T>;
    if (Date.now() > end)
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${typeof what === 'function' ? await what() : what}`);
    await delay(everyMs);
  }
}
