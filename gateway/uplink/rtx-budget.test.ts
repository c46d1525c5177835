import { describe, expect, it } from 'vitest';
import { GenericNack, PictureLossIndication, RtcpPayloadSpecificFeedback, type RTCRtpSender, RtcpTransportLayerFeedback } from 'werift';
import { limitRetransmissions, RtxBudget } from './rtx-budget.js';

describe('RtxBudget (which NACKs the room answers)', () => {
  it('answers every NACK of a fresh packet on the full picture', () => {
    const b = new RtxBudget();
    for (let s = 0; s < 100; s++) b.record(s, 1200, 1000 + s);
    expect(b.allow([...Array(100).keys()], 1200, null)).toHaveLength(100);
  });

  it('drops NACKs of packets sent too long ago, and of ones it never sent', () => {
    const b = new RtxBudget({ maxAgeMs: 500 });
    b.record(10, 1200, 0);
    b.record(11, 1200, 900);
    expect(b.allow([10, 11, 12], 1000, null)).toEqual([11]);
    expect(b.stats).toMatchObject({ asked: 3, allowed: 1, stale: 2 });
  });

  it('on an adapted picture, retransmits at most its share of the target (a capped link: audio keeps its room)', () => {
    const b = new RtxBudget({ share: 0.2, burstMs: 250, maxAgeMs: 10_000 });
    // 400 kbit/s target → 80 kbit/s = 10 bytes/ms of retransmissions; asked for 1200-byte packets every 10 ms for 2 s
    let sent = 0;
    for (let t = 0, seq = 0; t < 2000; t += 10, seq++) {
      b.record(seq, 1200, t);
      sent += b.allow([seq], t, 400).length * 1200;
    }
    const kbps = (sent * 8) / 2000;
    expect(kbps).toBeGreaterThan(60);
    expect(kbps).toBeLessThanOrEqual(80 + (2500 * 8) / 2000); // the rate plus at most one burst
    expect(b.stats.overBudget).toBeGreaterThan(0);
  });

  it('sequence numbers wrap: a packet of a later round at the same slot is not taken for an old one', () => {
    const b = new RtxBudget({ maxAgeMs: 10_000 });
    b.record(5, 1000, 0);
    b.record(5 + 2048, 1000, 1); // the same ring slot
    expect(b.allow([5], 2, null)).toEqual([]);
    expect(b.allow([5 + 2048], 2, null)).toEqual([5 + 2048]);
  });

  it("cuts the NACK's list before werift's sender sees it; other RTCP passes untouched", () => {
    const seen: unknown[] = [];
    const sender = { handleRtcpPacket: (p: unknown) => seen.push(p) } as unknown as RTCRtpSender;
    const b = new RtxBudget({ maxAgeMs: 500 });
    b.record(7, 1000, Date.now()); // the sender's NACK handling runs on the wall clock of the moment
    const resent: number[] = [];
    limitRetransmissions(
      sender,
      b,
      () => null,
      (bytes) => resent.push(bytes),
    );
    sender.handleRtcpPacket(
      new RtcpTransportLayerFeedback({ feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: 2, lost: [3, 7] }) }),
    );
    const pli = new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: 2 }) });
    sender.handleRtcpPacket(pli);
    expect(((seen[0] as RtcpTransportLayerFeedback).feedback as GenericNack).lost).toEqual([7]); // 3 was never sent
    expect(resent).toEqual([1000]); // the pacer is told what werift resends (pacer.ts charge)
    expect(seen[1]).toBe(pli);
  });
});
