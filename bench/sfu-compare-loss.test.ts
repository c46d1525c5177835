import { describe, expect, it } from 'vitest';
import { lossBetween, SeqLoss } from './sfu-compare-loss.js';

describe('SeqLoss (packets lost at a subscriber, from RTP sequence numbers)', () => {
  it('counts gaps, not duplicates; a late retransmission fills its gap', () => {
    const s = new SeqLoss();
    for (const seq of [10, 11, 13, 13, 14, 16]) s.push(seq);
    expect(s.snapshot()).toEqual({ expected: 7, received: 5 }); // 12 and 15 missing
    s.push(12); // NACK retransmission
    s.push(12);
    expect(s.snapshot()).toEqual({ expected: 7, received: 6 });
  });

  it('extends across the 16-bit wrap and ignores packets from before the first one', () => {
    const s = new SeqLoss();
    for (const seq of [65534, 65535, 0, 2]) s.push(seq);
    s.push(65530); // older than the first: not in the span
    expect(s.snapshot()).toEqual({ expected: 5, received: 4 });
  });

  it('loss between snapshots of several streams', () => {
    const a = new SeqLoss();
    const b = new SeqLoss();
    for (let i = 0; i < 100; i++) a.push(i);
    b.push(5);
    const before = [a.snapshot(), b.snapshot()];
    for (let i = 100; i < 200; i++) if (i % 10) a.push(i); // 10 of 100 lost
    for (let i = 6; i < 106; i++) b.push(i);
    const l = lossBetween(before, [a.snapshot(), b.snapshot()]);
    expect(l).toEqual({ expected: 200, received: 190, lost: 10, fraction: 0.05 }); // a: 100…199 less 10; b: 6…105
  });
});
