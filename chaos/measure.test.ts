import { describe, expect, it } from 'vitest';
import { judge, median, recoveryMs, windowOf } from './measure.js';
import { DEFAULT_EXPECT, type ViewerSample } from './scenario.js';

// one sample per second ending at t = 1000, 2000, …: 10 s at 30 fps, 5 s frozen, then 30 fps again
const fps = [...Array(10).fill(30), 0, 0, 0, 0, 0, 4, 30, 30, 30, 30];
const samples: ViewerSample[] = fps.map((frames, i) => ({
  t: (i + 1) * 1000,
  frames,
  audioPackets: frames ? 50 : 0,
  maxAudioGapMs: frames ? 40 : 1000,
  connected: true,
}));

describe('measure', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('a window: median fps, frozen seconds, longest audio gap', () => {
    expect(windowOf(samples, 0, 10_000)).toEqual({ fps: 30, frozenS: 0, maxAudioGapMs: 40, seconds: 10 });
    expect(windowOf(samples, 10_000, 15_000)).toEqual({ fps: 0, frozenS: 5, maxAudioGapMs: 1000, seconds: 5 });
  });

  it('recovery: from the fault end to the first of two seconds at ≥ fps', () => {
    expect(recoveryMs(samples, 15_000, 10)).toBe(1000); // 15–16 s had 4 frames; 16–17 s is back
    expect(recoveryMs(samples, 3000, 10)).toBe(0); // media never dropped there
    expect(recoveryMs(samples.slice(0, 14), 12_000, 10)).toBeNull();
  });

  it('judges against the expectations, naming each failure', () => {
    const w = windowOf(samples, 10_000, 15_000);
    const after = windowOf(samples, 16_000, 20_000);
    expect(judge(DEFAULT_EXPECT, { during: w, after, recoveryMs: 1000, verified: true, checks: [] })).toEqual({ ok: true, failures: [] });
    const j = judge(
      { ...DEFAULT_EXPECT, minFpsDuring: 15, recoveryMaxMs: 500, maxAudioGapDuringMs: 200 },
      { during: w, after, recoveryMs: 1000, verified: false, checks: [{ name: 'kiosk says so', ok: false }] },
    );
    expect(j.ok).toBe(false);
    expect(j.failures).toEqual([
      'during 0 fps < 15',
      'audio gap 1000 ms > 200',
      'recovery 1.0 s > 0.5 s',
      'recording does not verify',
      'kiosk says so',
    ]);
  });
});
