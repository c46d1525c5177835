// werift peers in a Janus VideoRoom, with the same werift configuration as the hub benchmark's
// participants (hub/sfu/peer-config.ts: H.264 constrained baseline + Opus, NACK/PLI/FIR, TWCC):
// a publisher (join as publisher, `publish` with our offer, Janus answers) and a subscriber (join as
// subscriber to one feed, Janus offers, we answer with `start`).
import { MediaStreamTrack, RTCPeerConnection, type RtpPacket } from 'werift';
import { hubPeerConfig } from '../../hub/sfu/peer-config.js';
import type { JanusSession } from '../../hub/janus/janus-client.js';

// No extra host address: werift offers the namespace's veth address, the interface Janus's ICE uses.
const peerConfig = hubPeerConfig({ hostAddresses: [], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 });
const PLUGIN = 'janus.plugin.videoroom';

/** A room for n publishers: H.264 + Opus, no bitrate cap (REMB would only be advice: the bench's source is fixed-rate). */
export async function createRoom(s: JanusSession, room: number, publishers: number): Promise<void> {
  const h = await s.attach(PLUGIN);
  await s.message(h, { request: 'create', room, publishers, videocodec: 'h264', audiocodec: 'opus', bitrate: 0, fir_freq: 0 });
}

export interface JanusPublisher {
  feed: number;
  pc: RTCPeerConnection;
  tracks: Record<'video' | 'audio', MediaStreamTrack>;
}

export async function publish(s: JanusSession, room: number, display: string): Promise<JanusPublisher> {
  const h = await s.attach(PLUGIN);
  const joined = await s.message(h, { request: 'join', ptype: 'publisher', room, display });
  const feed = joined.plugindata!.data.id as number;
  const pc = new RTCPeerConnection(peerConfig);
  const tracks = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };
  pc.addTransceiver(tracks.audio, { direction: 'sendonly' });
  pc.addTransceiver(tracks.video, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer()); // werift gathers here: the SDP carries our candidates
  const configured = await s.message(h, { request: 'publish' }, { type: 'offer', sdp: pc.localDescription!.sdp });
  if (!configured.jsep) throw new Error(`janus publish (${display}): no answer SDP`);
  await pc.setRemoteDescription(configured.jsep);
  await s.trickle(h, { completed: true });
  await connected(pc, `janus publisher ${display}`); // Janus offers a feed to subscribers only once its PeerConnection is up
  return { feed, pc, tracks };
}

export interface JanusSubscriber {
  pc: RTCPeerConnection;
}

/** Subscribes to one feed; `onRtp` sees every packet that arrives (video and audio). */
export async function subscribe(
  s: JanusSession,
  room: number,
  feed: number,
  onRtp: (kind: 'video' | 'audio', rtp: RtpPacket) => void,
): Promise<JanusSubscriber> {
  const h = await s.attach(PLUGIN);
  // "No such feed" (428) until Janus has seen the publisher's PeerConnection come up: retry a few times.
  let attached = await s.message(h, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] }).catch((e: Error) => e);
  for (let i = 0; attached instanceof Error && / 428 /.test(attached.message) && i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    attached = await s.message(h, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] }).catch((e: Error) => e);
  }
  if (attached instanceof Error) throw attached;
  if (!attached.jsep) throw new Error(`janus subscribe to ${feed}: no offer SDP`);
  const pc = new RTCPeerConnection(peerConfig);
  pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => onRtp(track.kind as 'video' | 'audio', rtp)));
  await pc.setRemoteDescription(attached.jsep);
  await pc.setLocalDescription(await pc.createAnswer());
  await s.message(h, { request: 'start' }, { type: 'answer', sdp: pc.localDescription!.sdp });
  await s.trickle(h, { completed: true });
  return { pc };
}

function connected(pc: RTCPeerConnection, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pc.connectionState === 'connected') return resolve();
    const timer = setTimeout(() => reject(new Error(`${what}: not connected within 20 s (${pc.connectionState})`)), 20_000);
    const sub = pc.connectionStateChange.subscribe((state) => {
      if (state !== 'connected') return;
      clearTimeout(timer);
      sub.unSubscribe();
      resolve();
    });
  });
}
