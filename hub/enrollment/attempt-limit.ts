// A small in-process limit of attempts per key (an IP, a room) in a sliding window: enrollment is
// unauthenticated by nature, so guessing codes must be slow. 80-bit codes make guessing hopeless
// anyway; this keeps the hub's log and audit from being flooded too.

export function createAttemptLimit(opts: { max: number; windowMs: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number[]>();
  return {
    /** Counts one attempt; answers the seconds to wait when over the limit (0: go ahead). */
    hit(key: string): number {
      const t = now();
      const recent = (seen.get(key) ?? []).filter((x) => x > t - opts.windowMs);
      if (recent.length >= opts.max) {
        seen.set(key, recent);
        return Math.max(1, Math.ceil((recent[0]! + opts.windowMs - t) / 1000));
      }
      recent.push(t);
      seen.set(key, recent);
      if (seen.size > 10_000) for (const [k, v] of seen) if (v.every((x) => x <= t - opts.windowMs)) seen.delete(k);
      return 0;
    },
  };
}
