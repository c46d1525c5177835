import { describe, expect, it } from 'vitest';
import { StallGuard } from './live-rate.js';

describe('StallGuard (the gateway’s own event loop held up is no congestion)', () => {
  it('judges ticks on time; after a late tick (a stall) nothing for 2 s, then again', () => {
    const g = new StallGuard(500);
    const judged: boolean[] = [];
    for (const t of [0, 500, 1000, 1500]) judged.push(g.judge(t));
    expect(judged).toEqual([true, true, true, true]);
    expect(g.judge(3500)).toBe(false); // the loop was held up 1.5 s
    for (const t of [4000, 4500, 5000]) expect(g.judge(t)).toBe(false);
    expect(g.judge(5500)).toBe(true);
  });

  it('a tick a little late (timer jitter on a busy box) is still judged', () => {
    const g = new StallGuard(500);
    g.judge(0);
    expect(g.judge(750)).toBe(true);
  });
});
