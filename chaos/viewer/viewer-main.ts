// The viewer at the hub (runs inside the hub namespace): a werift WHEP subscriber of the hearing's first
// room, as an officer's browser watches it. Every second one JSON line on stdout: frames decoded
// (chaos/viewer/frame-counter.ts), audio packets, the longest gap between audio packets, connected.
// It re-POSTs its offer when the connection fails or the hub cannot be reached, and on a "reconnect" line on
// stdin (the runner sends it after restarting the hub). Argument: JSON {hubUrl, hearing}.
import { createInterface } from 'node:readline';
import { Agent, fetch as undiciFetch } from 'undici';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { createFrameCounter } from './frame-counter.js';
import { h264Codec } from '../../common/webrtc/h264-codec.js';

const { hubUrl, hearing } = JSON.parse(process.argv[2]!) as { hubUrl: string; hearing: string };
const dispatcher = new Agent({ connect: { rejectUnauthorized: false } }); // the hub's internal CA, over its own loopback

let pc: RTCPeerConnection | null = null;
let location: string | null = null;
let connecting = false;
let counter = createFrameCounter();
let frames = 0;
let audioPackets = 0;
let lastAudio = 0;
let maxAudioGap = 0;
let sessions = 0;

async function connect(): Promise<void> {
  if (connecting) return;
  connecting = true;
  try {
    for (;;) {
      await close();
      try {
        await openSession();
        return;
      } catch (err) {
        process.stderr.write(`viewer: ${(err as Error).message}\n`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    connecting = false;
  }
}

async function openSession() {
  const next = new RTCPeerConnection({
    codecs: {
      video: [h264Codec([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }])],
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
    },
    bundlePolicy: 'max-bundle',
    iceServers: [], // no STUN: werift's default (Google) is unreachable from a namespace and gathering waits on it
  });
  pc = next;
  counter = createFrameCounter();
  next.addTransceiver('video', { direction: 'recvonly' });
  next.addTransceiver('audio', { direction: 'recvonly' });
  next.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      const now = performance.now();
      if (track.kind === 'video') counter.push(rtp.header.sequenceNumber, rtp.header.timestamp, rtp.header.marker, rtp.payload, now);
      else {
        if (lastAudio) maxAudioGap = Math.max(maxAudioGap, now - lastAudio);
        lastAudio = now;
        audioPackets++;
      }
    });
  });
  next.connectionStateChange.subscribe((s) => {
    if ((s === 'failed' || s === 'closed') && pc === next) setTimeout(() => void connect(), 1000);
  });
  await next.setLocalDescription(await next.createOffer());
  await new Promise<void>((r) => {
    if (next.iceGatheringState === 'complete') return r();
    next.iceGatheringStateChange.subscribe((s) => s === 'complete' && r());
  });
  const res = await undiciFetch(`${hubUrl}/whep/hearings/${hearing}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp' },
    body: next.localDescription!.sdp,
    dispatcher,
  });
  if (res.status !== 201) throw new Error(`WHEP POST ${res.status}: ${await res.text()}`);
  location = res.headers.get('location');
  await next.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  sessions++;
}

async function close() {
  const old = pc;
  pc = null;
  if (location) await undiciFetch(new URL(location, hubUrl), { method: 'DELETE', dispatcher }).catch(() => undefined);
  location = null;
  await old?.close().catch(() => undefined);
}

setInterval(() => {
  const now = performance.now();
  frames += counter.advance(now);
  // a gap still open counts too (audio stopped this second)
  const open = lastAudio ? now - lastAudio : 0;
  const line = {
    frames,
    audioPackets,
    maxAudioGapMs: Math.round(Math.max(maxAudioGap, open > 1000 ? open : 0)),
    connected: pc?.connectionState === 'connected',
    sessions,
    lost: counter.stats.lostPackets,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  frames = 0;
  audioPackets = 0;
  maxAudioGap = 0;
}, 1000);
setInterval(() => {
  frames += counter.advance(performance.now());
}, 100);

createInterface({ input: process.stdin }).on('line', (l) => {
  if (l.trim() === 'reconnect') void connect();
});
process.on('SIGTERM', () => void close().finally(() => process.exit(0)));

void connect().then(() => process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`));
