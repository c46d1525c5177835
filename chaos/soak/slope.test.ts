import { describe, expect, it } from 'vitest';
import { linearFit, summarize } from './slope.js';

describe('linearFit', () => {
  it('finds the line through points on a line exactly (r² = 1)', () => {
    const fit = linearFit([0, 1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 3 })));
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(3, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.n).toBe(5);
  });

  it('gives the least-squares slope of scattered points (checked by hand)', () => {
    // x̄ = 2, ȳ = 3; Σ(x−x̄)(y−ȳ) = (−2)(−2)+(−1)(1)+0+(1)(−1)+(2)(2) = 6; Σ(x−x̄)² = 10 → slope 0.6, intercept 1.8
    // Σ(y−ȳ)² = 4+1+0+1+4 = 10 → r² = 36 / (10·10) = 0.36
    const fit = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 4 },
      { x: 2, y: 3 },
      { x: 3, y: 2 },
      { x: 4, y: 5 },
    ]);
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(1.8, 12);
    expect(fit.r2).toBeCloseTo(0.36, 12);
  });

  it('a flat series has slope 0 and no r² (nothing to explain)', () => {
    const fit = linearFit([1, 2, 3].map((x) => ({ x, y: 7 })));
    expect(fit.slope).toBe(0);
    expect(fit.r2).toBeNaN();
  });

  it('noise without a trend has slope 0 and r² 0', () => {
    const fit = linearFit([5, 9, 5, 9, 5, 9, 5, 9, 5, 9].map((y, i) => ({ x: i, y: i < 5 ? y : 14 - y })));
    expect(fit.slope).toBeCloseTo(0, 12);
    expect(fit.r2).toBeCloseTo(0, 12);
  });

  it('fewer than two points, or one x only, has no slope', () => {
    expect(linearFit([]).slope).toBeNaN();
    expect(linearFit([{ x: 1, y: 2 }]).slope).toBeNaN();
    expect(linearFit([{ x: 1, y: 2 }]).intercept).toBe(2);
    expect(linearFit([1, 2, 3].map((y) => ({ x: 4, y }))).slope).toBeNaN();
  });

  it('is not thrown off by large offsets (RSS in kB, minutes since the epoch)', () => {
    const fit = linearFit([0, 1, 2, 3].map((i) => ({ x: 29_000_000 + i, y: 150_000 + 0.5 * i })));
    expect(fit.slope).toBeCloseTo(0.5, 6);
  });
});

describe('summarize', () => {
  it('reports growth per hour from minute samples: 1 MB a minute is 60 MB/h', () => {
    const s = summarize(
      Array.from({ length: 31 }, (_, m) => ({ minute: m, value: 100 + m })),
      0,
    )!;
    expect(s.perHour).toBeCloseTo(60, 9);
    expect([s.first, s.last, s.min, s.max, s.n]).toEqual([100, 130, 100, 130, 31]);
  });

  it('leaves the warm-up out of the slope (but not out of first/min/max)', () => {
    // grows 5 MB a minute for 10 minutes (caches, JIT, buffers filling), then flat at 200
    const samples = Array.from({ length: 61 }, (_, m) => ({ minute: m, value: m < 10 ? 150 + 5 * m : 200 }));
    const all = summarize(samples, 0)!;
    const after = summarize(samples, 10)!;
    expect(all.perHour).toBeGreaterThan(20);
    expect(after.perHour).toBe(0);
    expect(after.n).toBe(51);
    expect([after.first, after.min, after.max]).toEqual([150, 150, 200]);
  });

  it('a steady leak shows through noise: +2 fds every 5 minutes with ±3 jitter → ≈ 24 fds/h', () => {
    const jitter = [3, -3, 1, -1, 2, -2, 0];
    const samples = Array.from({ length: 61 }, (_, m) => ({ minute: m, value: 40 + 2 * Math.floor(m / 5) + jitter[m % jitter.length] }));
    const s = summarize(samples, 10)!;
    expect(s.perHour).toBeGreaterThan(20);
    expect(s.perHour).toBeLessThan(28);
    expect(s.r2).toBeGreaterThan(0.8);
  });

  it('no samples → null; samples all in the warm-up → no slope', () => {
    expect(summarize([], 10)).toBeNull();
    const s = summarize([{ minute: 0, value: 1 }], 10)!;
    expect(s.perHour).toBeNaN();
    expect(s.n).toBe(0);
  });
});
