import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeWorker, superviseFake } from './test/fake-worker.js';

// Issue 12 (chaos, clock-forward-1h): the box's wall clock stepped +1 h and the daemon killed its healthy
// media worker at once ("media worker silent: killing it", silentMs 3603009) — the silence watchdog
// measured with Date.now(). A step back (−5 min) made it blind instead: a hung worker went unnoticed
// for 5 minutes. Durations are measured on the monotonic clock. Here a real child sends stats every
// 100 ms while only Date is moved (timers stay real).

// Stats once a second, as the worker's tick does; `mute-after` N stats it falls silent (hung).
const worker = (muteAfter: number) =>
  fakeWorker(
    `worker-${muteAfter}`,
    `let n = 0; const t = setInterval(() => { if (++n > ${muteAfter}) return clearInterval(t); process.send({ type: 'stats' }); }, 1000);`,
  );

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await stop?.();
});

const start = (entry: string) => {
  const f = superviseFake(entry);
  stop = f.stop;
  return { sup: f.sup, restarts: f.restarts, stats: f.stats };
};
/** Moves Date only (timers stay real; the fake clock advances with real time), right after a stats message. */
const stepAfterStats = async (stats: number[], n: number, stepMs: number) => {
  await expect.poll(() => stats.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() + stepMs });
};

describe('media worker supervisor and the wall clock', () => {
  it('a wall-clock step of +1 h does not kill a worker that keeps talking', async () => {
    const { sup, restarts, stats } = start(worker(1000));
    await stepAfterStats(stats, 2, 3_600_000);
    const pid = sup.pid;
    // The watchdog runs every 500 ms; the next stats come 1 s after the step: 4 s of real time must pass quietly.
    const until = stats.length + 4;
    await expect.poll(() => stats.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(until);
    expect(restarts).toEqual([]);
    expect(sup.pid).toBe(pid);
  });

  it('after a step of −5 min a worker that falls silent is still killed after silenceMs', async () => {
    const { restarts, stats } = start(worker(3));
    await stepAfterStats(stats, 3, -300_000); // its last stats: silent from now on
    const t0 = performance.now();
    await expect.poll(() => restarts.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(restarts[0]).toBe('no stats for 2500 ms');
    expect(performance.now() - t0).toBeLessThan(12_000);
  });
});
