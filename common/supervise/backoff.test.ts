import { describe, expect, it } from 'vitest';
import { backoffDelay, RestartWindow, retryDelay, withJitter } from './backoff.js';
import { Retries } from './retries.js';

describe('backoff', () => {
  it('doubles from base up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 250, 5000))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(10_000, 250, 5000)).toBe(5000); // 2 ** 10000 is Infinity: still the cap
    expect(backoffDelay(-3, 250, 5000)).toBe(250);
  });

  it('jitter stays within ±fraction, reaches both ends, and is exact without it', () => {
    expect(withJitter(1000, 0.2, () => 0)).toBe(800);
    expect(withJitter(1000, 0.2, () => 0.999_999)).toBe(1200);
    expect(withJitter(1000, 0)).toBe(1000);
    expect(withJitter(0, 0.5)).toBe(0);
    const seen = Array.from({ length: 2000 }, () => withJitter(1000, 0.2));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1200);
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThan(300); // it does spread
  });

  it('immediateFirst: at once after a healthy spell, then base, 2·base … cap (the media worker)', () => {
    const p = { immediateFirst: true, baseMs: 250, maxMs: 30_000 };
    expect([0, 1, 2, 3, 7, 8, 20].map((n) => retryDelay(n, p))).toEqual([0, 250, 500, 1000, 16_000, 30_000, 30_000]);
  });
});

describe('restart rate limit', () => {
  it('the restart past the limit waits until the oldest leaves the 60 s window', () => {
    const w = new RestartWindow(3);
    for (const t of [0, 1000, 2000]) {
      expect(w.waitMs(t)).toBe(0);
      w.add(t);
    }
    expect(w.waitMs(5000)).toBe(55_000);
    expect(w.waitMs(59_999)).toBe(1);
    expect(w.waitMs(60_000)).toBe(0); // the one at 0 has left the window
    expect(w.count(62_000)).toBe(0);
  });

  it('Retries counts failures, resets on healthy, and lets the limit override the backoff', () => {
    const r = new Retries({ baseMs: 100, maxMs: 400, maxRestartsPerMinute: 4 });
    const delays = [0, 1, 2, 3, 4].map((i) => r.failed(`boom ${i}`, i * 10));
    // Restarts are due at 100, 210, 420, 430: the fifth waits until 60 s after the first one ran.
    expect(delays.map((d) => d.delayMs)).toEqual([100, 200, 400, 400, 60_100 - 40]);
    expect(delays[4]).toMatchObject({ rateLimited: true, floorMs: 60_060, restarts: 5, consecutiveFailures: 5 });
    expect(r.lastReason).toBe('boom 4');
    r.healthy();
    expect(r.consecutiveFailures).toBe(0);
    expect(r.restarts).toBe(5);
    expect(r.failed('again', 200_000).delayMs).toBe(100);
  });
});
