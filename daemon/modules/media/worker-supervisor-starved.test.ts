import { afterEach, describe, expect, it } from 'vitest';
import { fakeWorker, superviseFake } from './test/fake-worker.js';

// Issue 12 (soak): at load 40–85 the daemon killed its media worker 9 times for 5 s without stats; the
// worker was alive and starved, not hung. Real children: one whose main thread is held busy 8 s (as a
// starved one: running or waiting for a CPU, no stats) must be left alone; one whose main thread sleeps
// 8 s (blocked, as a hung native call) is still killed after silenceMs.

// Stats every second; after the 3rd, the main thread is held for HOLD_MS, busy or asleep, then stats go on.
const HOLD_MS = 8000;
const worker = (hold: 'busy' | 'asleep') =>
  fakeWorker(
    `worker-${hold}`,
    `let n = 0; setInterval(() => { process.send({ type: 'stats' }); if (++n === 3) { ${
      hold === 'busy'
        ? `const end = performance.now() + ${HOLD_MS}; while (performance.now() < end) {}`
        : `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${HOLD_MS});`
    } process.send({ type: 'stats', held: true }); } }, 1000);`,
  );

let stop: (() => Promise<void>) | undefined;
afterEach(async () => stop?.());

const start = (entry: string) => {
  const f = superviseFake(entry);
  stop = f.stop;
  return { sup: f.sup, restarts: f.restarts, held: () => f.messages.some((m) => m.held) };
};

describe('media worker supervisor on a starved box', () => {
  it('leaves alone a worker whose main thread is busy 8 s without stats', { timeout: 60_000 }, async () => {
    const { sup, restarts, held } = start(worker('busy'));
    await expect.poll(() => sup.pid, { timeout: 20_000 }).toBeTruthy();
    const pid = sup.pid;
    await expect.poll(held, { timeout: 45_000 }).toBe(true);
    expect(restarts).toEqual([]);
    expect(sup.pid).toBe(pid);
  });

  it('still kills one whose main thread sleeps (hung) after silenceMs', { timeout: 60_000 }, async () => {
    const { sup, restarts, held } = start(worker('asleep'));
    await expect.poll(() => sup.pid, { timeout: 20_000 }).toBeTruthy();
    const pid = sup.pid;
    await expect.poll(() => restarts.length, { timeout: 45_000 }).toBeGreaterThan(0);
    expect(restarts[0]).toBe('no stats for 2500 ms');
    expect(held()).toBe(false);
    expect(sup.pid).not.toBe(pid);
  });
});
