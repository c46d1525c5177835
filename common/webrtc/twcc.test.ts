import { describe, expect, it } from 'vitest';
import { RtcpPacketConverter, RtcpTransportLayerFeedback, TransportWideCC } from 'werift';
import { decodeTwcc, encodeTwcc, type ParsedTwcc } from './twcc.js';

/** Our RTCP bytes parsed by werift (what the room's gateway receives). */
function parse(buf: Buffer): TransportWideCC {
  const [p] = RtcpPacketConverter.deSerialize(buf);
  if (!(p instanceof RtcpTransportLayerFeedback) || !(p.feedback instanceof TransportWideCC)) throw new Error('not TWCC');
  return p.feedback;
}

describe('TWCC feedback (ours)', () => {
  // A capped link: runs of received packets (a queue building: small then large deltas), a tail drop, a late one.
  const t0 = 1_796_285_000_123.4;
  const arrivalsMs: (number | null)[] = [t0, t0 + 1, t0 + 2.5, null, null, null, t0 + 90, t0 + 91, null, t0 + 400, t0 + 380, t0 + 381];

  it('round-trips through werift’s parser: every packet, lost ones as lost, arrivals to 0.25 ms, across the 16-bit wrap', () => {
    const buf = encodeTwcc({ senderSsrc: 1, mediaSsrc: 0xdeadbeef, baseSeq: 65530, fbCount: 7, arrivalsMs });
    expect(buf.length % 4).toBe(0);
    const fb = parse(buf);
    expect(fb.mediaSourceSsrc).toBe(0xdeadbeef);
    const got = decodeTwcc(fb as unknown as ParsedTwcc);
    expect(got.map((r) => r.seq)).toEqual([65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5]);
    const wrap = 2 ** 24 * 64;
    got.forEach((r, i) => {
      const want = arrivalsMs[i];
      if (want === null || want === undefined) expect(r.arrivalMs).toBeNull();
      else expect(Math.abs(r.arrivalMs! - (want % wrap))).toBeLessThanOrEqual(0.25);
    });
  });

  it('werift’s own packetResults misreads the same feedback (why we decode it ourselves)', () => {
    const fb = parse(encodeTwcc({ senderSsrc: 1, mediaSsrc: 2, baseSeq: 100, fbCount: 0, arrivalsMs }));
    const werift = fb.packetResults;
    const lostByWerift = werift.filter((r) => !r.received).map((r) => r.sequenceNumber);
    expect(lostByWerift).not.toEqual([103, 104, 105, 108]);
  });

  it('a status-vector chunk (other senders use them) is read too', () => {
    const fb: ParsedTwcc = {
      baseSequenceNumber: 10,
      packetStatusCount: 4,
      referenceTime: 1,
      packetChunks: [{ symbolSize: 0, symbolList: [1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }],
      recvDeltas: [{ delta: 1000 }, { delta: 500 }, { delta: 250 }],
    };
    expect(decodeTwcc(fb)).toEqual([
      { seq: 10, arrivalMs: 65 },
      { seq: 11, arrivalMs: null },
      { seq: 12, arrivalMs: 65.5 },
      { seq: 13, arrivalMs: 65.75 },
    ]);
  });
});
