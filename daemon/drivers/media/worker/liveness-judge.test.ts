import { describe, expect, it } from 'vitest';
import { createLivenessJudge, notRunningMs, stallCapMs, type WaitReading } from './liveness-judge.js';

// Issue 12 (a starved box): the camera judged lost only for silence that the worker's own lateness does not
// explain. Injected clock and schedstat figures, no sleeps. Production figures: lossTimeoutMs 700, tick 50 ms.

const LOSS = 700;
const TICK = 50;
const CAP = stallCapMs(LOSS); // 2100 ms

/**
 * Ticks from t=0 to `until` (every `tickAt(t)` ms), frames every 33 ms while `frames(t)`, the most starved
 * thread's run-queue wait (ms, cumulative) given by `waitMs(t)`. Returns the silence at the first lost verdict.
 */
function run(o: { until: number; frames: (t: number) => boolean; waitMs?: (t: number) => number; next?: (t: number) => number }) {
  const judge = createLivenessJudge({ lossTimeoutMs: LOSS, tickMs: TICK });
  let lastFrameAt = 0;
  let frameAt = 1;
  const verdicts: { t: number; lost: boolean; stalled: boolean; silentMs: number; excusedMs: number }[] = [];
  for (let t = 1; t <= o.until; t = (o.next ?? ((x) => x + TICK))(t)) {
    for (; frameAt <= t; frameAt += 33) if (o.frames(frameAt)) lastFrameAt = frameAt;
    const wait: WaitReading = new Map([
      [100, (o.waitMs?.(t) ?? 0) * 1e6],
      [101, 0.5e6 * Math.floor(t / 1000)], // a thread that hardly waits: the most starved one counts
    ]);
    const v = judge.tick(t, lastFrameAt, wait);
    if (v.judged) verdicts.push({ t, ...v });
  }
  const lost = verdicts.find((v) => v.lost);
  return { lost, verdicts, anyLost: !!lost };
}

describe('liveness judge', () => {
  it('quiet box: a silent camera is lost 700–750 ms after its last frame (slate within 1 s)', () => {
    const r = run({ until: 5000, frames: (t) => t < 1000 });
    expect(r.lost?.silentMs).toBeGreaterThan(LOSS);
    expect(r.lost?.silentMs).toBeLessThanOrEqual(LOSS + TICK);
    expect(r.lost?.excusedMs).toBe(0);
    expect(r.lost?.stalled).toBe(false);
    expect(r.verdicts.find((v) => v.stalled)?.silentMs).toBeGreaterThan(CAP);
  });

  it('quiet box with scheduling noise (a thread waits 10 of every 50 ms): still lost at 700–750 ms', () => {
    const r = run({ until: 5000, frames: (t) => t < 1000, waitMs: (t) => t / 5 });
    expect(r.lost?.silentMs).toBeLessThanOrEqual(LOSS + TICK);
  });

  it('starved (wait grows as fast as the wall clock), frames back after 1.5 s: not lost', () => {
    const r = run({ until: 6000, frames: (t) => t < 1000 || t > 2500, waitMs: (t) => t });
    expect(r.anyLost).toBe(false);
  });

  it('starved with late ticks (every 300 ms, frames held back 1.8 s): not lost', () => {
    const r = run({ until: 6000, frames: (t) => t < 1000 || t > 2800, waitMs: (t) => t, next: (t) => t + 300 });
    expect(r.anyLost).toBe(false);
  });

  it('a real camera loss on a starved box is declared by the cap (plain silence > 2.1 s), and rebuilt', () => {
    const r = run({ until: 6000, frames: (t) => t < 1000, waitMs: (t) => t });
    expect(r.lost?.silentMs).toBeGreaterThan(CAP);
    expect(r.lost?.silentMs).toBeLessThanOrEqual(CAP + TICK);
    expect(r.lost?.stalled).toBe(true);
  });

  it('half starved (wait grows at half the wall clock): lost between 700 ms and the cap', () => {
    const r = run({ until: 6000, frames: (t) => t < 1000, waitMs: (t) => t / 2 });
    expect(r.lost?.silentMs).toBeGreaterThan(2 * LOSS - TICK);
    expect(r.lost?.silentMs).toBeLessThanOrEqual(2 * LOSS + 2 * TICK);
  });

  it('SIGSTOP for 1.5 s (no run-queue wait at all, one tick 1.5 s late), frames 100 ms after SIGCONT: not lost', () => {
    // The late tick is skipped; the next one (2550) sees 1.55 s of silence, 1.45 s of it excused by the gap.
    const r = run({ until: 6000, frames: (t) => t < 1000 || t > 2600, next: (t) => (t + TICK > 1000 && t < 1000 ? 2500 : t + TICK) });
    expect(r.anyLost).toBe(false);
  });

  it('SIGSTOP for 1.5 s and the camera really gone: lost at the cap', () => {
    const r = run({ until: 6000, frames: (t) => t < 1000, next: (t) => (t + TICK > 1000 && t < 1000 ? 2500 : t + TICK) });
    expect(r.lost?.silentMs).toBeGreaterThan(CAP);
    expect(r.lost?.silentMs).toBeLessThanOrEqual(CAP + TICK);
  });

  it('a tick more than lossTimeoutMs/2 late judges nothing, but never two in a row', () => {
    const judge = createLivenessJudge({ lossTimeoutMs: LOSS, tickMs: TICK });
    expect(judge.tick(0, 1, undefined).judged).toBe(true);
    expect(judge.tick(5000, 1, undefined).judged).toBe(false);
    const v = judge.tick(10_000, 1, undefined);
    expect(v).toMatchObject({ judged: true, lost: true, stalled: true });
  });
});

describe('notRunningMs', () => {
  const reading = (...ms: [number, number][]) => new Map(ms.map(([tid, w]) => [tid, w * 1e6]));
  it('takes the most starved thread, not the sum; never more than the interval', () => {
    expect(notRunningMs(100, TICK, reading([1, 0], [2, 0]), reading([1, 60], [2, 70]))).toBe(70);
    expect(notRunningMs(100, TICK, reading([1, 0]), reading([1, 500]))).toBe(100);
  });
  it('ignores waits under a quarter of the interval, threads first seen now, and missing readings', () => {
    expect(notRunningMs(100, TICK, reading([1, 0]), reading([1, 20]))).toBe(0);
    expect(notRunningMs(100, TICK, reading([1, 0]), reading([2, 90]))).toBe(0);
    expect(notRunningMs(100, TICK, undefined, reading([1, 90]))).toBe(0);
  });
  it('a tick gap beyond two periods is time not running; a timer a few ms late is not', () => {
    expect(notRunningMs(58, TICK)).toBe(0);
    expect(notRunningMs(1550, TICK)).toBe(1500);
  });
});
