// The DSP meter trace as an inline SVG (no script, prints as drawn): time across, dB up (−80 … 0 dB),
// grid lines every 20 dB, the line of readings.

const W = 600;
const H = 160;
const FLOOR = -80;

export function meterSvg(trace: { t: number; db: number }[], title: string): string {
  const span = Math.max(1, trace.at(-1)?.t ?? 1);
  const y = (db: number) => (Math.min(0, Math.max(FLOOR, db)) / FLOOR) * (H - 20) + 10;
  const x = (t: number) => 40 + (t / span) * (W - 50);
  const grid = [0, -20, -40, -60, -80]
    .map(
      (db) =>
        `<line x1="40" x2="${W - 10}" y1="${y(db)}" y2="${y(db)}" stroke="#ccc"/><text x="2" y="${y(db) + 4}" font-size="10">${db} dB</text>`,
    )
    .join('');
  const points = trace.map((p) => `${x(p.t).toFixed(1)},${y(p.db).toFixed(1)}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}"><title>${title}</title>${grid}<polyline fill="none" stroke="#0a5" stroke-width="1.5" points="${points}"/><text x="${W - 10}" y="${H - 2}" font-size="10" text-anchor="end">${(span / 1000).toFixed(1)} s</text></svg>`;
}
