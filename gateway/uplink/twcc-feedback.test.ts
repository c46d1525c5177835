import { describe, expect, it } from 'vitest';
import { PacketResult, TransportWideCC } from 'werift';
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

  it('sizes and send times from our own log by transport-wide sequence number; lost packets (werift: received without a time) have no arrival', () => {
    const log = new SentLog();
    log.record(65535, 1200, 1000);
    log.record(0, 900, 1001); // the 16-bit number wrapped
    const fb = Object.assign(Object.create(TransportWideCC.prototype) as TransportWideCC, {});
    Object.defineProperty(fb, 'packetResults', {
      value: [
        new PacketResult({ sequenceNumber: 65535, received: true, receivedAtMs: 1030 }),
        new PacketResult({ sequenceNumber: 0, received: true }), // werift's way of saying lost: "received", no arrival time
        new PacketResult({ sequenceNumber: 7, received: true, receivedAtMs: 1040 }), // not ours (never logged)
      ],
    });
    expect(feedbackPackets(fb, log)).toEqual([
      { size: 1200, sentAtMs: 1000, receivedAtMs: 1030 },
      { size: 900, sentAtMs: 1001, receivedAtMs: null },
    ]);
  });
});
