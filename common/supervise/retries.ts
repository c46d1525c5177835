import { type BackoffPolicy, RestartWindow, retryDelay } from './backoff.js';

// The counting half of supervision, for loops that have no link object to build (the uploader waiting
// for the hub): each failure gives the wait before the next try, honouring backoff, jitter and the
// restart rate limit; a healthy moment starts the backoff afresh.

export interface RetryPolicy extends BackoffPolicy {
  /** Retries allowed in any 60 s (default: no limit); extra ones wait. */
  maxRestartsPerMinute?: number;
}

export interface RetryDecision {
  reason: string;
  delayMs: number;
  /** The rate limit, not the backoff, set delayMs. */
  rateLimited: boolean;
  /** The part of delayMs that retryNow() cannot skip (rate limit), ms. */
  floorMs: number;
  restarts: number;
  consecutiveFailures: number;
}

export class Retries {
  /** Retries scheduled so far. */
  restarts = 0;
  /** Failures since the last healthy moment. */
  consecutiveFailures = 0;
  lastReason?: string;
  private readonly window: RestartWindow;

  constructor(private readonly policy: RetryPolicy = {}) {
    this.window = new RestartWindow(policy.maxRestartsPerMinute);
  }

  /** A failure at `now`: how long until the next try. */
  failed(reason: string, now = Date.now()): RetryDecision {
    const backoff = retryDelay(this.consecutiveFailures, this.policy);
    const floorMs = this.window.waitMs(now);
    const delayMs = Math.max(backoff, floorMs);
    this.window.add(now + delayMs);
    this.consecutiveFailures++;
    this.restarts++;
    this.lastReason = reason;
    return {
      reason,
      delayMs,
      rateLimited: floorMs > backoff,
      floorMs,
      restarts: this.restarts,
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  /** It works again: the next failure starts the backoff afresh. */
  healthy(): void {
    this.consecutiveFailures = 0;
  }
}

/** A pause that ends early on wake() (new work, stop). One sleeper at a time. */
export function createWaiter() {
  let wake: (() => void) | undefined;
  return {
    sleep(ms: number): Promise<void> {
      wake?.();
      return new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done() {
          clearTimeout(t);
          if (wake === done) wake = undefined;
          resolve();
        }
        wake = done;
      });
    },
    wake(): void {
      wake?.();
    },
  };
}
