// Least-squares line through (x, y) points: how fast a figure grows (slope), how well a line explains it (r²).

export interface Fit {
  n: number;
  slope: number;
  intercept: number;
  /** 1 = every point on the line; near 0 = no trend (noise). NaN for fewer than 2 points or a flat y. */
  r2: number;
}

export function linearFit(points: readonly { x: number; y: number }[]): Fit {
  const n = points.length;
  if (n < 2) return { n, slope: Number.NaN, intercept: n ? points[0].y : Number.NaN, r2: Number.NaN };
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) ** 2;
  }
  if (sxx === 0) return { n, slope: Number.NaN, intercept: my, r2: Number.NaN };
  const slope = sxy / sxx;
  return { n, slope, intercept: my - slope * mx, r2: syy === 0 ? Number.NaN : (sxy * sxy) / (sxx * syy) };
}

export interface SeriesSummary {
  first: number;
  last: number;
  min: number;
  max: number;
  /** Growth per hour over the samples at or after `fromMinute` (the warm-up left out). */
  perHour: number;
  r2: number;
  /** Samples the fit used. */
  n: number;
}

/** Summary of one figure sampled over time (minute, value), its slope per hour from `fromMinute` on. */
export function summarize(samples: readonly { minute: number; value: number }[], fromMinute: number): SeriesSummary | null {
  if (samples.length === 0) return null;
  const values = samples.map((s) => s.value);
  const fit = linearFit(samples.filter((s) => s.minute >= fromMinute).map((s) => ({ x: s.minute, y: s.value })));
  return {
    first: values[0],
    last: values[values.length - 1],
    min: Math.min(...values),
    max: Math.max(...values),
    perHour: fit.slope * 60,
    r2: fit.r2,
    n: fit.n,
  };
}
