// Vietnamese first, English second (smaller). Pure helpers, no DOM beyond building text nodes.

export interface Bi {
  vi: string;
  en: string;
}

export const bi = (vi: string, en: string): Bi => ({ vi, en });

/** Fills `el` with `<span class="vi">…</span> <span class="en">…</span>` (skips the DOM write when unchanged). */
export function setBi(el: HTMLElement, t: Bi): void {
  if (el.dataset.vi === t.vi && el.dataset.en === t.en) return;
  el.dataset.vi = t.vi;
  el.dataset.en = t.en;
  const vi = document.createElement('span');
  vi.className = 'vi';
  vi.textContent = t.vi;
  const en = document.createElement('span');
  en.className = 'en';
  en.textContent = t.en;
  el.replaceChildren(vi, ' ', en);
}

const viNumber = (digits: number) => new Intl.NumberFormat('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const enNumber = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Bytes in plain units, decimal (1 MB = 10^6 B): "12,4 MB" in Vietnamese, "12.4 MB" in English. */
export function formatBytes(bytes: number): Bi {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return { vi: `${viNumber(digits).format(value)} ${units[unit]}`, en: `${enNumber(digits).format(value)} ${units[unit]}` };
}

/** Whole numbers with thousands separators: "1.234" / "1,234". */
export const formatCount = (n: number): Bi => ({ vi: viNumber(0).format(n), en: enNumber(0).format(n) });

/** HH:MM:SS of a duration (hours keep growing past 99). Negative → 00:00:00. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Wall clock HH:MM for the banner. */
export const formatClock = (d: Date): string => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

const WEEKDAYS = ['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'];
/** "Thứ bảy, 28/11/2026". */
export const formatDateVi = (d: Date): string =>
  `${WEEKDAYS[d.getDay()]}, ${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
