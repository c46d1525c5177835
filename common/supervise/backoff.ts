// Backoff and restart rate limit: pure arithmetic, no timers, no Node imports (the kiosk page uses it too).

/** Exponential backoff with a cap: attempt 0 waits `base`, then doubling up to `max`. */
export function backoffDelay(attempt: number, base = 250, max = 10_000): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt));
}

/** `ms` spread by ±`jitter` (0.2 → 80 %…120 %), so rooms that lost the hub together do not return together. */
export function withJitter(ms: number, jitter: number, random: () => number = Math.random): number {
  if (!(jitter > 0) || ms <= 0) return ms;
  const j = Math.min(1, jitter);
  return Math.round(ms * (1 - j + 2 * j * random()));
}

export interface BackoffPolicy {
  /** First wait, ms (default 250). */
  baseMs?: number;
  /** Cap, ms (default 10 s). */
  maxMs?: number;
  /** ± fraction spread over each wait (default 0: exact). */
  jitter?: number;
  /** The first failure after a healthy spell retries at once; the next ones wait baseMs, 2·baseMs… */
  immediateFirst?: boolean;
  random?: () => number;
}

/** How long to wait after a failure, given how many failures came right before it (0 = first). */
export function retryDelay(before: number, p: BackoffPolicy = {}): number {
  if (p.immediateFirst && before === 0) return 0;
  const ms = backoffDelay(p.immediateFirst ? before - 1 : before, p.baseMs ?? 250, p.maxMs ?? 10_000);
  return withJitter(ms, p.jitter ?? 0, p.random);
}

/** At most `max` restarts in any 60 s: the times restarts are due, and how long the next must wait. */
export class RestartWindow {
  private due: number[] = [];
  constructor(
    private readonly max = Number.POSITIVE_INFINITY,
    private readonly windowMs = 60_000,
  ) {}

  /** Wait needed at `now` so the next restart keeps the limit (0 when under it). */
  waitMs(now: number): number {
    this.due = this.due.filter((t) => now - t < this.windowMs);
    return this.due.length >= this.max ? Math.max(0, this.due[0] + this.windowMs - now) : 0;
  }

  /** A restart is due at `at`. */
  add(at: number): void {
    this.due.push(at);
    this.due.sort((a, b) => a - b);
  }

  /** Restarts counted in the window ending at `now`. */
  count(now: number): number {
    return this.due.filter((t) => now - t < this.windowMs).length;
  }
}
