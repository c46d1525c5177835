import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { HubMessage } from '../../common/contracts/signaling/messages.js';
import { silentLogger } from '../../common/log.js';
import { type JanusProcess, janusMissing, startJanus } from '../../tests/helpers/janus-server.js';
import { until } from '../../tests/helpers/until.js';
import { createHearingStore } from '../hearings/hearing-store.js';
import { type Conference, createConference } from '../sfu/conference.js';
import { hubPeerConfig } from '../sfu/peer-config.js';
import { janusPlane } from './janus-plane.js';

// The conference's one decision with Janus legs, through the signaling messages a participant sees: a room that
// publishes gets a subscriber's `keyframe-request`; when it publishes again (a new connection = a new Janus feed)
// its subscriber is sent `unsubscribe` and a fresh `subscribe-offer`, and the media flows again on it.

const missing = janusMissing();
const peerConfig = hubPeerConfig({ hostAddresses: [], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 });

async function publishFrom(conference: Conference, id: string) {
  const pc = new RTCPeerConnection(peerConfig);
  const video = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(video, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const answer = await conference.publish(conference.member(id)!, pc.localDescription!.sdp);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  let seq = 0;
  const timer = setInterval(() => {
    seq = (seq + 1) & 0xffff;
    const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: seq * 3000, ssrc: 4242, marker: true });
    video.writeRtp(new RtpPacket(header, Buffer.from([0x41, ...Array(200).fill(5)])).serialize());
  }, 20);
  return () => (clearInterval(timer), pc.close());
}

describe.skipIf(missing)(`conference with the janus plane${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'janus-conference-'));
  let janus: JanusProcess;
  let conference: Conference;
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    janus = await startJanus(dir, { rtpPorts: [46000, 46999] });
    const store = createHearingStore({ roomIds: () => ['room-a', 'room-b'] });
    store.create('Phiên thử', ['room-a', 'room-b']);
    const plane = janusPlane({ endpoint: { url: janus.url, timeoutMs: 10_000 }, peerConfig, logger: silentLogger() });
    conference = createConference({ store, peerConfig, plane, logger: silentLogger() });
  }, 30_000);

  afterAll(async () => {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    await conference?.stop();
    await janus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a republish gives the subscriber unsubscribe + a fresh subscribe-offer, and media again; the publisher is asked for keyframes', async () => {
    const toA: HubMessage[] = [];
    const toB: HubMessage[] = [];
    conference.join({ info: { id: 'room-a', kind: 'room', name: 'A' }, send: (m) => toA.push(m), subscribes: true });
    const b = conference.join({ info: { id: 'room-b', kind: 'room', name: 'B' }, send: (m) => toB.push(m), subscribes: true });
    let got = 0;
    /** B answers each subscribe-offer the way a gateway does: a werift connection counting what arrives. */
    const answered = new Set<string>();
    const answerOffers = async () => {
      for (const m of toB)
        if (m.type === 'subscribe-offer' && !answered.has(m.sid)) {
          answered.add(m.sid);
          const pc = new RTCPeerConnection(peerConfig);
          closers.push(() => pc.close());
          pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => got++));
          await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          await conference.answer(b, m.sid, pc.localDescription!.sdp);
        }
    };
    closers.push(await publishFrom(conference, 'room-a'));
    await until('subscribe-offer to B', 20_000, () => toB.some((m) => m.type === 'subscribe-offer'));
    await answerOffers();
    await until(
      () => `B receives A (${got})`,
      20_000,
      () => got > 50,
    );
    await until('keyframe-request to A', 10_000, () => toA.some((m) => m.type === 'keyframe-request'));
    const first = toB.find((m) => m.type === 'subscribe-offer') as Extract<HubMessage, { type: 'subscribe-offer' }>;

    closers.push(await publishFrom(conference, 'room-a')); // A's new connection: a new feed in Janus
    await until('unsubscribe of the old leg', 10_000, () => toB.some((m) => m.type === 'unsubscribe' && m.sid === first.sid));
    await until('a fresh subscribe-offer', 20_000, () => toB.some((m) => m.type === 'subscribe-offer' && m.sid !== first.sid));
    await answerOffers();
    const before = got;
    await until(
      () => `B receives A's new feed (${got - before})`,
      20_000,
      () => got - before > 50,
    );
  }, 90_000);
});
