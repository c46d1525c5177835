import { describe, expect, it } from 'vitest';
import { PictureLossIndication, ReceiverEstimatedMaxBitrate, RtcpPacketConverter, RtcpPayloadSpecificFeedback, RtcpRrPacket } from 'werift';
import { isKeyframeRequest } from './rtcp-keyframe.js';

// Through the wire format and back, as packets reach the sender.
const roundTrip = (p: { serialize(): Buffer }) => RtcpPacketConverter.deSerialize(p.serialize())[0]!;

describe('isKeyframeRequest', () => {
  it('is true for PLI and FIR, false for REMB and receiver reports', () => {
    const psfb = (feedback: RtcpPayloadSpecificFeedback['feedback']) => roundTrip(new RtcpPayloadSpecificFeedback({ feedback }));
    expect(isKeyframeRequest(psfb(new PictureLossIndication({ senderSsrc: 1, mediaSsrc: 2 })))).toBe(true);
    // FIR as Chromium sends it (werift does not export a FIR class): V=2 FMT=4 PT=206, 5 words.
    const fir = Buffer.from([0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0]);
    expect(isKeyframeRequest(RtcpPacketConverter.deSerialize(fir)[0]!)).toBe(true);
    expect(
      isKeyframeRequest(
        psfb(new ReceiverEstimatedMaxBitrate({ senderSsrc: 1, mediaSsrc: 0, brExp: 1, brMantissa: 1000, ssrcFeedbacks: [2] })),
      ),
    ).toBe(false);
    expect(isKeyframeRequest(roundTrip(new RtcpRrPacket({ ssrc: 1, reports: [] })))).toBe(false);
  });
});
