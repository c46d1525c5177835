import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock, formatCount, formatDateVi, formatElapsed } from './i18n.js';

describe('formatting', () => {
  it('elapsed time is HH:MM:SS and keeps counting past a day', () => {
    expect(formatElapsed(0)).toBe('00:00:00');
    expect(formatElapsed(-5000)).toBe('00:00:00');
    expect(formatElapsed(59_999)).toBe('00:00:59');
    expect(formatElapsed((2 * 3600 + 3 * 60 + 4) * 1000)).toBe('02:03:04');
    expect(formatElapsed(100 * 3600 * 1000)).toBe('100:00:00');
  });

  it('sizes: Vietnamese comma decimals, English dot decimals, decimal units', () => {
    expect(formatBytes(12_400_000)).toEqual({ vi: '12,4 MB', en: '12.4 MB' });
    expect(formatBytes(999)).toEqual({ vi: '999 B', en: '999 B' });
    expect(formatBytes(1_500)).toEqual({ vi: '1,5 kB', en: '1.5 kB' });
    expect(formatBytes(3_210_000_000)).toEqual({ vi: '3,2 GB', en: '3.2 GB' });
    expect(formatCount(12345)).toEqual({ vi: '12.345', en: '12,345' });
  });

  it('clock and Vietnamese date', () => {
    const d = new Date(2026, 10, 28, 9, 5);
    expect(formatClock(d)).toBe('09:05');
    expect(formatDateVi(d)).toBe('Thứ bảy, 28/11/2026');
  });
});
