// @ts-check
// Small inline SVG line charts of a room's last hours (fleet-room.js), no chart library and nothing
// downloaded. The geometry is a pure model (chartModel, tested without a browser); drawChart turns it into
// SVG. A minute without a figure, or a silence the hub marked offline, breaks the line: a gap stays a gap.

const NS = 'http://www.w3.org/2000/svg';
export const SIZE = { w: 340, h: 120, left: 44, right: 8, top: 10, bottom: 22 };

/** @typedef {{ t: number, [k: string]: number | boolean | null }} Point */
/** @typedef {{ from: number, to: number, bucketS: number, points: Point[], offline: { from: number, to: number }[] }} History */

/** A round step for about `n` ticks over `span`. */
function step(span, n) {
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
}
const hhmm = (t) => new Date(t).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', hour12: false });

/**
 * The chart's geometry: polylines (one per unbroken run), y ticks, x ticks (every few hours, HH:MM), offline
 * bands, the threshold line. `scale` turns a stored figure into the one drawn (minutes → hours).
 * @param {History} hist
 * @param {{ field: string, scale?: number, min?: number, max?: number, threshold?: number[] }} spec
 */
export function chartModel(hist, spec) {
  const { w, h, left, right, top, bottom } = SIZE;
  const half = (hist.bucketS * 1000) / 2;
  const x = (t) => left + ((t - hist.from) / (hist.to - hist.from)) * (w - left - right);
  const vals = hist.points.map((p) =>
    typeof p[spec.field] === 'number' ? /** @type {number} */ (p[spec.field]) * (spec.scale ?? 1) : null,
  );
  const known = /** @type {number[]} */ (vals.filter((v) => v !== null));
  let lo = Math.min(spec.min ?? Number.POSITIVE_INFINITY, ...known, ...(spec.threshold ?? []));
  let hi = Math.max(spec.max ?? Number.NEGATIVE_INFINITY, ...known, ...(spec.threshold ?? []));
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi === lo) hi = lo + 1;
  const s = step(hi - lo, 3);
  lo = Math.floor(lo / s) * s;
  hi = Math.ceil(hi / s) * s;
  const y = (v) => top + (1 - (v - lo) / (hi - lo)) * (h - top - bottom);
  const yTicks = [];
  for (let v = lo; v <= hi + s / 2; v += s) yTicks.push({ y: y(v), label: Number(v.toPrecision(6)).toLocaleString('vi-VN') });
  // x ticks on whole local hours (the operator's clock), every 1, 2, 3, 6 or 12 h: at most 6 labels.
  const hours = (hist.to - hist.from) / 3600_000;
  const xs = ([1, 2, 3, 6, 12].find((n) => hours / n <= 6) ?? 24) * 3600_000;
  const tz = new Date(hist.from).getTimezoneOffset() * 60_000;
  const xTicks = [];
  for (let t = Math.ceil((hist.from - tz) / xs) * xs + tz; t <= hist.to; t += xs) xTicks.push({ x: x(t), label: hhmm(t) });
  const breaks = hist.offline.map((o) => o.from);
  /** @type {[number, number][][]} */
  const lines = [];
  let run = null;
  hist.points.forEach((p, i) => {
    const v = vals[i];
    const prev = hist.points[i - 1];
    const broken = !prev || breaks.some((b) => b > prev.t && b <= p.t);
    if (v === null) return void (run = null);
    if (!run || broken) lines.push((run = []));
    run.push([Math.round(x(p.t + half) * 10) / 10, Math.round(y(v) * 10) / 10]);
  });
  const bands = hist.offline.map((o) => ({ x: x(o.from), w: Math.max(1, x(o.to) - x(o.from)) }));
  const thresholds = (spec.threshold ?? []).map((v) => y(v));
  return { lines, yTicks, xTicks, bands, thresholds, known: known.length };
}

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An <svg> of the model, titled (for screen readers) with the chart's name. */
export function drawChart(/** @type {History} */ hist, spec, /** @type {string} */ title) {
  const m = chartModel(hist, spec);
  const { w, h, left, right, top, bottom } = SIZE;
  const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: 'img', class: 'chart' });
  svg.append(el('title', {}, title));
  for (const b of m.bands) svg.append(el('rect', { class: 'offline', x: b.x, y: top, width: b.w, height: h - top - bottom }));
  for (const t of m.yTicks) {
    svg.append(el('line', { class: 'grid', x1: left, x2: w - right, y1: t.y, y2: t.y }));
    svg.append(el('text', { class: 'ytick', x: left - 4, y: t.y + 3 }, t.label));
  }
  for (const t of m.xTicks) svg.append(el('text', { class: 'xtick', x: t.x, y: h - 6 }, t.label));
  for (const y of m.thresholds) svg.append(el('line', { class: 'threshold', x1: left, x2: w - right, y1: y, y2: y }));
  svg.append(el('line', { class: 'axis', x1: left, x2: left, y1: top, y2: h - bottom }));
  svg.append(el('line', { class: 'axis', x1: left, x2: w - right, y1: h - bottom, y2: h - bottom }));
  for (const run of m.lines) {
    if (run.length === 1) svg.append(el('circle', { class: 'dot', cx: run[0][0], cy: run[0][1], r: 1.5 }));
    else svg.append(el('polyline', { class: 'line', points: run.map((p) => p.join(',')).join(' ') }));
  }
  if (m.known === 0) svg.append(el('text', { class: 'empty', x: w / 2, y: h / 2 }, 'Không có số liệu / No data'));
  return svg;
}
