import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { type JanusProcess, janusMissing, startJanus } from '../../tests/helpers/janus-server.js';
import { until } from '../../tests/helpers/until.js';
import type { MediaPlane, PublishLeg } from '../sfu/media-plane.js';
import { hubPeerConfig } from '../sfu/peer-config.js';
import { Source } from '../sfu/source.js';
import { handleStats } from './janus-admin.js';
import { janusInfo } from './janus-client.js';
import { janusPlane } from './janus-plane.js';

// The Janus legs against a real Janus 1.1.2 process (Debian's package): werift peers publish into it, subscribe
// and watch (WHEP, through the hub's relay) through it; Janus killed → the plane says so and answers 503; Janus back
// on the same port → the next publish works. ICE over the box's non-loopback address (libnice offers no loopback).

const missing = janusMissing();
const peerConfig = hubPeerConfig({ hostAddresses: [], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 });
const SECRET = 'thu-bi-mat-janus';

/** A werift publisher sending RTP (not a real picture: Janus forwards packets, it does not decode them). */
async function publisher(plane: MediaPlane, id: string, source: Source) {
  const pc = new RTCPeerConnection(peerConfig);
  const tracks = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
  pc.addTransceiver(tracks.audio, { direction: 'sendonly' });
  pc.addTransceiver(tracks.video, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const leg = await plane.publish(id, pc.localDescription!.sdp, source);
  await pc.setRemoteDescription({ type: 'answer', sdp: leg.answer });
  let seq = 0;
  const timer = setInterval(() => {
    seq = (seq + 1) & 0xffff;
    const header = (pt: number, ssrc: number) =>
      new RtpHeader({ payloadType: pt, sequenceNumber: seq, timestamp: seq * 960, ssrc, marker: true });
    // H.264 single NAL unit (type 1, a non-IDR slice) and an Opus frame's worth of bytes
    tracks.video.writeRtp(new RtpPacket(header(96, 1111), Buffer.from([0x41, ...Array(300).fill(7)])).serialize());
    tracks.audio.writeRtp(new RtpPacket(header(111, 2222), Buffer.alloc(80, 3)).serialize());
  }, 20);
  return { pc, leg, stop: () => (clearInterval(timer), pc.close()) };
}

/** A werift receiver counting RTP packets per kind. */
function receiver() {
  const pc = new RTCPeerConnection(peerConfig);
  const got = { audio: 0, video: 0 };
  pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => got[t.kind as 'audio' | 'video']++));
  return { pc, got };
}

/** A werift WHEP viewer of one publisher through the plane (the hub's relay on Janus), counting video packets. */
async function whepViewer(
  plane: MediaPlane,
  id: string,
  publisherId: string,
  publisher: PublishLeg,
  source: Source,
  closers: (() => unknown)[],
) {
  const viewer = new RTCPeerConnection(peerConfig);
  const seen = { video: 0 };
  viewer.addTransceiver('video', { direction: 'recvonly' });
  viewer.addTransceiver('audio', { direction: 'recvonly' });
  viewer.onTrack.subscribe((t) => t.kind === 'video' && t.onReceiveRtp.subscribe(() => seen.video++));
  await viewer.setLocalDescription(await viewer.createOffer());
  const watched = await plane.watch({ id, publisherId, publisher, source, offerSdp: viewer.localDescription!.sdp });
  closers.push(
    () => watched.leg.close(),
    () => viewer.close(),
  );
  await viewer.setRemoteDescription({ type: 'answer', sdp: watched.sdp });
  await until(
    () => `WHEP viewer receives (${seen.video})`,
    20_000,
    () => seen.video > 50,
  );
  return seen;
}

describe.skipIf(missing)(`janus media plane against a real Janus${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  let janus: JanusProcess;
  let port: number;
  let admin: { port: number; secret: string };
  let plane: MediaPlane;
  const lost: string[] = [];
  const closers: (() => unknown)[] = [];
  let adminCalls = 0; // handle_info requests to the real Admin API

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'janus-plane-'));
    port = await freePort();
    admin = { port: await freePort(), secret: 'thu-bi-mat-quan-tri' };
    janus = await startJanus(dir, { rtpPorts: [42000, 42999], apiSecret: SECRET, port, admin });
    plane = janusPlane({
      endpoint: { url: janus.url, apiSecret: SECRET, timeoutMs: 5000 }, // a publish waits this long for a Janus coming back
      admin: { ...janus.admin!, timeoutMs: 5000 },
      maxAgeMs: 200, // the counters are read on demand; a test polling them gets a fresh sweep every 200 ms
      statsOf: (...a) => (adminCalls++, handleStats(...a)),
      peerConfig,
      logger: silentLogger(),
    });
    plane.onLost((why) => lost.push(why));
  }, 30_000);

  afterAll(async () => {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    await plane?.stop();
    await janus?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a publisher, a subscriber (Janus offers, the subscriber answers) and a WHEP viewer (relayed); the publisher is asked for a keyframe; packet counters from the Admin API', async () => {
    let keyframes = 0;
    const source = new Source('room-a', () => keyframes++);
    const pub = await publisher(plane, 'room-a', source);
    closers.push(pub.stop, () => pub.leg.close());
    await until('publisher connected in Janus', 20_000, () => pub.leg.state === 'connected');

    const sub = plane.subscribe({ sid: 'sub-1', publisherId: 'room-a', subscriberId: 'officer-1', publisher: pub.leg, source });
    const r = receiver();
    closers.push(
      () => sub.close(),
      () => r.pc.close(),
    );
    await r.pc.setRemoteDescription({ type: 'offer', sdp: await sub.offer() });
    await r.pc.setLocalDescription(await r.pc.createAnswer());
    await sub.accept(r.pc.localDescription!.sdp);
    await until(
      () => `subscriber receives (${JSON.stringify(r.got)})`,
      20_000,
      () => r.got.video > 50 && r.got.audio > 50,
    );
    expect(sub.state).toBe('connected');
    // Janus's own counters, from its Admin API — read only when asked (nobody has yet: not one request so far)
    expect(adminCalls).toBe(0);
    expect(sub.sent).toBeNull();
    await Promise.all([plane.refreshCounters!(), plane.refreshCounters!()]); // two readers at once: one sweep
    expect(adminCalls).toBe(2); // the publisher's handle and the subscriber's
    await until(
      () => `Janus's counters (${JSON.stringify(sub.sent)})`,
      10_000,
      async () => (await plane.refreshCounters!(), (sub.sent?.video.packets ?? 0) > 20),
    );
    expect(pub.leg.received?.video.packets).toBeGreaterThan(20);
    await until(
      () => `the publisher's path from the Admin API (${pub.leg.path})`,
      10_000,
      async () => (await plane.refreshCounters!(), pub.leg.path === 'direct-udp'),
    );
    await until('keyframe asked of the publisher for the new subscriber', 10_000, () => keyframes >= 1);

    await whepViewer(plane, 'whep-1', 'room-a', pub.leg, source, closers);
  }, 90_000);

  it("a WHEP viewer keeps its picture across its publisher's reconnect: the relay follows the new Janus feed", async () => {
    const source = new Source('room-f', () => {});
    const first = await publisher(plane, 'room-f', source);
    closers.push(first.stop, () => first.leg.close());
    await until('publisher connected in Janus', 20_000, () => first.leg.state === 'connected');
    const seen = await whepViewer(plane, 'whep-f', 'room-f', first.leg, source, closers);

    // The room's gateway reconnects: its old connection (and Janus room) goes, a new one publishes.
    await first.stop();
    await first.leg.close();
    const before = seen.video;
    const second = await publisher(plane, 'room-f', source);
    closers.push(second.stop, () => second.leg.close());
    plane.republished('room-f', second.leg); // what the conference does on every publish
    await until(
      () => `WHEP viewer receives the new feed (${seen.video - before} packets since)`,
      30_000,
      () => seen.video - before > 50,
    );
  }, 90_000);

  it('refuses a non-WebRTC offer (400 BAD_SDP), a participant not publishing (409), a wrong API secret (names the URL)', async () => {
    await expect(plane.publish('room-b', 'v=0\r\nm=video 9 RTP/AVP 96\r\n', new Source('room-b', () => {}))).rejects.toMatchObject({
      statusCode: 400,
      code: 'BAD_SDP',
    });
    const notPublishing = { answer: '', state: 'connected' } as unknown as PublishLeg;
    expect(() =>
      plane.subscribe({ sid: 's', publisherId: 'x', subscriberId: 'y', publisher: notPublishing, source: new Source('x', () => {}) }),
    ).toThrow(/not publishing/);
    await expect(janusInfo({ url: janus.url, apiSecret: 'wrong' })).rejects.toThrow(/403|[Uu]nauthori[sz]ed/);
    await expect(janusInfo({ url: `http://127.0.0.1:${await freePort()}/janus`, timeoutMs: 2000 })).rejects.toMatchObject({
      statusCode: 503,
      code: 'MEDIA_UNAVAILABLE',
      message: expect.stringMatching(/^máy chủ truyền thông.*http:\/\/127\.0\.0\.1:\d+\/janus/),
    });
  });

  it('Janus killed: the plane reports the loss, a publish answers 503 MEDIA_UNAVAILABLE; Janus back: the next publish works', async () => {
    const source = new Source('room-c', () => {});
    const pub = await publisher(plane, 'room-c', source);
    closers.push(pub.stop);
    janus.child.kill('SIGKILL');
    await janus.stop();
    await until(
      () => `loss reported (${lost.join('; ')})`,
      15_000,
      () => lost.length > 0,
    );
    await expect(publisher(plane, 'room-d', source)).rejects.toMatchObject({ statusCode: 503, code: 'MEDIA_UNAVAILABLE' });
    janus = await startJanus(dir, { rtpPorts: [42000, 42999], apiSecret: SECRET, port, admin });
    const again = await publisher(plane, 'room-e', source);
    closers.push(again.stop, () => again.leg.close());
    await until('publisher connected in the restarted Janus', 20_000, () => again.leg.state === 'connected');
  }, 90_000);
});
