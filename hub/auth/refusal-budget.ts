// How many refusals one address may write to the audit log: `max` a window (default 30 a minute). Past
// it they are counted, not written, and the next refusal from that address after the window writes one
// line saying how many were left out — a scanner cannot fill the disk or drown the log, and the log
// still shows it was there and for how long.

export interface RefusalBudget {
  /** 'write' this refusal; 'skip' it (counted); or a number: first write a summary of that many skipped. */
  take(ip: string): 'write' | 'skip' | number;
}

export function createRefusalBudget(opts: { max?: number; windowMs?: number; now?: () => number } = {}): RefusalBudget {
  const max = opts.max ?? 30;
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const seen = new Map<string, { since: number; count: number; skipped: number }>();
  return {
    take(ip) {
      const t = now();
      if (seen.size > 10_000) for (const [k, v] of seen) if (t - v.since >= windowMs && v.skipped === 0) seen.delete(k);
      const s = seen.get(ip);
      if (!s || t - s.since >= windowMs) {
        seen.set(ip, { since: t, count: 1, skipped: 0 });
        return s?.skipped ? s.skipped : 'write';
      }
      if (s.count < max) {
        s.count++;
        return 'write';
      }
      s.skipped++;
      return 'skip';
    },
  };
}
