// Waiting on a condition (never a fixed sleep): polls `cond` until it gives a value, or throws after timeoutMs.

export async function until<T>(
  cond: () => T | Promise<T>,
  o: { timeoutMs: number; what: string; everyMs?: number },
): Promise<NonNullable<T>> {
  const end = performance.now() + o.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v !== undefined && v !== null && v !== false) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (performance.now() > end)
      throw new Error(`timed out after ${o.timeoutMs} ms waiting for ${o.what}${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, o.everyMs ?? 250));
  }
}
