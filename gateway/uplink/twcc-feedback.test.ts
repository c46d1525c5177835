import { describe, expect, it } from 'vitest';
import { feedbackPackets, nearEpoch, SentLog } from './publisher.js';

describe('TWCC feedback → our packets', () => {
  it('arrival times (24-bit reference time × 64 ms + deltas: wall ms modulo 2^30) come back to wall-clock ms', () => {
    const wrap = 2 ** 24 * 64;
    const sent = 1_796_277_037_266;
    expect(nearEpoch((sent + 35) % wrap, sent)).toBe(sent + 35);
    // the arrival just past a wrap of the modulus, the send just before it
    const beforeWrap = Math.ceil(sent / wrap) * wrap - 10;
    expect(nearEpoch(20, beforeWrap)).toBe(beforeWrap + 30);
  });

  it('sizes and send times from our own log by transport-wide sequence number; lost packets have no arrival', () => {
    const log = new SentLog();
    log.record(65535, 1200, 1000);
    log.record(0, 900, 1001); // the 16-bit number wrapped
    const fb = {
      baseSequenceNumber: 65535,
      packetStatusCount: 9,
      referenceTime: 15, // 960 ms
      packetChunks: [
        { packetStatus: 1, runLength: 1 },
        { packetStatus: 0, runLength: 1 }, // seq 0: lost
        { packetStatus: 0, runLength: 6 },
        { packetStatus: 1, runLength: 1 }, // seq 7: not ours (never logged)
      ],
      recvDeltas: [{ delta: 70_000 }, { delta: 10_000 }],
    };
    expect(feedbackPackets(fb, log)).toEqual([
      { size: 1200, sentAtMs: 1000, receivedAtMs: 1030 },
      { size: 900, sentAtMs: 1001, receivedAtMs: null },
    ]);
  });
});
