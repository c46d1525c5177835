import { afterEach, expect, it } from 'vitest';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
  TransportWideCC,
  useTransportWideCC,
  useTWCC,
} from 'werift';
import { decodeTwcc, type ParsedTwcc, type TwccResult } from '../../common/webrtc/twcc.js';
import { until } from '../../tests/helpers/until.js';
import { hubPeerConfig } from './peer-config.js';
import { createPublishLeg } from './publish-leg.js';
import { Source } from './source.js';
import { h264Codec } from '../../common/webrtc/h264-codec.js';

// The hub's publish leg answers a room's video with transport-wide feedback that covers every packet (issue 12:
// werift's own receiver folded losses away and its parser misplaced arrivals, so the room never saw its link full).

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

it('a room sending video in bursts gets feedback for every packet, with arrival times, none reported lost on loopback', async () => {
  const room = new RTCPeerConnection({
    codecs: {
      video: [h264Codec([useTWCC()])],
    },
    headerExtensions: { video: [useTransportWideCC()] },
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  cleanup.push(() => room.close());
  const track = new MediaStreamTrack({ kind: 'video' });
  const sender = room.addTransceiver(track, { direction: 'sendonly' }).sender;
  const results: TwccResult[] = [];
  sender.onRtcp.subscribe((p) => {
    if (p instanceof RtcpTransportLayerFeedback && p.feedback instanceof TransportWideCC)
      results.push(...decodeTwcc(p.feedback as unknown as ParsedTwcc));
  });
  await room.setLocalDescription(await room.createOffer());
  await until('ICE gathering', 10_000, () => room.iceGatheringState === 'complete');
  const leg = await createPublishLeg(
    room.localDescription!.sdp,
    new Source('room', () => {}),
    hubPeerConfig({ hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 }),
  );
  cleanup.push(() => leg.close());
  await room.setRemoteDescription({ type: 'answer', sdp: leg.answer });
  await until('publish connection up', 15_000, () => room.connectionState === 'connected');

  // 20 frames of 10 packets, 80 ms apart: within a frame small deltas, between frames large ones.
  let seq = 0;
  for (let f = 0; f < 20; f++) {
    for (let i = 0; i < 10; i++) {
      const header = new RtpHeader({ ssrc: 1234, sequenceNumber: seq++, timestamp: f * 7200, payloadType: 96, marker: i === 9 });
      track.writeRtp(new RtpPacket(header, Buffer.alloc(1000, f)));
    }
    await new Promise((r) => setTimeout(r, 80));
  }
  await until(
    () => `feedback on 200 packets (have ${results.length})`,
    15_000,
    () => results.length >= 200,
  );
  const seqs = new Set(results.map((r) => r.seq));
  expect(seqs.size).toBe(results.length); // each packet reported once
  expect(results.filter((r) => r.arrivalMs === null)).toEqual([]);
  const times = results.map((r) => r.arrivalMs!);
  // 20 bursts 80 ms apart: the arrivals span about 1.5 s, not 64 ms steps and not nothing
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(1000);
});
