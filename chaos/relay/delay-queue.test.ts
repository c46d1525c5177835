import { describe, expect, it } from 'vitest';
import { createDelayQueue } from './delay-queue.js';

describe('delay queue', () => {
  it('releases in push order at their time, then calls whenDrained()', async () => {
    const out: number[] = [];
    const q = createDelayQueue<number>((n) => out.push(n));
    const now = performance.now();
    q.push(1, now + 30);
    q.push(2, now + 30);
    q.push(3, now + 60);
    q.push(0, now - 10); // behind the others: still after them (a stream is never reordered)
    expect(out).toEqual([]);
    await new Promise<void>((r) => q.whenDrained(r));
    expect(out).toEqual([1, 2, 3, 0]);
    expect(performance.now() - now).toBeGreaterThanOrEqual(55);
  });

  it('an item due now goes at once', () => {
    const out: string[] = [];
    const q = createDelayQueue<string>((s) => out.push(s));
    q.push('a', performance.now());
    expect(out).toEqual(['a']);
    expect(q.length).toBe(0);
  });
});
