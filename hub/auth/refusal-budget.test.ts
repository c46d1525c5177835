import { describe, expect, it } from 'vitest';
import { createRefusalBudget } from './refusal-budget.js';

describe('refusal budget (audit log flooding)', () => {
  it('writes max a window per address, counts the rest, and reports the count with the next window', () => {
    let t = 0;
    const b = createRefusalBudget({ max: 3, windowMs: 60_000, now: () => t });
    expect([1, 2, 3, 4, 5].map(() => b.take('10.0.0.9'))).toEqual(['write', 'write', 'write', 'skip', 'skip']);
    expect(b.take('10.0.0.8')).toBe('write'); // another address has its own budget
    t += 60_000;
    expect(b.take('10.0.0.9')).toBe(2); // the summary first, then this one is written
    expect(b.take('10.0.0.9')).toBe('write');
    t += 60_000;
    expect(b.take('10.0.0.9')).toBe('write'); // nothing skipped in the last window: no summary
  });
});
