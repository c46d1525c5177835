import { describe, expect, it } from 'vitest';
import { createSilenceJudge, readSched, type Sched } from './worker-silence.js';

// The judge alone, on a hand-moved monotonic clock and hand-moved CPU counters of the worker's main thread.

function rig(o: { hardMs?: number } = {}) {
  let t = 1000;
  let sched: Sched | undefined = { runNs: 0, waitNs: 0 };
  const judge = createSilenceJudge({ silenceMs: 5000, hardMs: o.hardMs ?? 30_000, everyMs: 500, now: () => t, read: () => sched });
  /** Moves time in 500 ms checks; `busy` = share of it the main thread ran or waited for a CPU. */
  const run = (ms: number, busy: number) => {
    const out = [];
    for (let i = 0; i < ms / 500; i++) {
      t += 500;
      if (sched) sched = { runNs: sched.runNs + busy * 0.3 * 500e6, waitNs: sched.waitNs + busy * 0.7 * 500e6 };
      out.push(judge.check(42));
    }
    return out;
  };
  return {
    judge,
    run,
    skip: (ms: number) => (t += ms),
    gone: () => (sched = undefined),
  };
}

describe('silence judge', () => {
  it('a worker that talks is ok', () => {
    const r = rig();
    for (let i = 0; i < 20; i++) {
      expect(r.run(1000, 0.05).map((v) => v.kind)).toEqual(['ok', 'ok']);
      r.judge.heard();
    }
  });

  it('a hung worker (main thread asleep) is dead after silenceMs, as before', () => {
    const r = rig();
    const v = r.run(6000, 0);
    expect(v.findIndex((x) => x.kind !== 'ok')).toBe(9); // at 5.0 s
    expect(v[9]).toEqual({ kind: 'dead', silentMs: 5000, why: 'no stats for 5000 ms' });
  });

  it('a starved worker (main thread waiting for a CPU) is late, not dead, and fine once it talks', () => {
    const r = rig();
    const v = r.run(20_000, 0.9);
    expect(v.slice(9).every((x) => x.kind === 'late')).toBe(true);
    expect(v[9]).toMatchObject({ kind: 'late', busyShare: expect.closeTo(0.9, 1) });
    r.judge.heard();
    expect(r.run(1000, 0.9).map((x) => x.kind)).toEqual(['ok', 'ok']);
  });

  it('busy but silent for hardMs is dead (a busy loop looks starved)', () => {
    const r = rig({ hardMs: 12_000 });
    const v = r.run(13_000, 1);
    expect(v.findIndex((x) => x.kind === 'dead')).toBe(23); // at 12.0 s
  });

  it('a check that itself ran late (the daemon held up) judges nothing: the messages may wait unread', () => {
    const r = rig();
    r.run(1000, 0);
    r.skip(6000); // the daemon's event loop stalled 6 s
    expect(r.judge.check(42)).toMatchObject({ kind: 'late' });
    expect(r.run(500, 0)[0]).toMatchObject({ kind: 'dead' }); // next on-time check: asleep all along
  });

  it('no counters (process gone, no /proc): silence alone decides', () => {
    const r = rig();
    r.gone();
    expect(r.run(5000, 0).at(-1)).toMatchObject({ kind: 'dead' });
  });

  it('reads this process main thread from /proc', () => {
    const s = readSched(process.pid);
    expect(s?.runNs).toBeGreaterThan(0);
    expect(readSched(2 ** 22 + 1)).toBeUndefined();
  });
});
