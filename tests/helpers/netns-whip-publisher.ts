// A participant beside the hub (run inside the hub's namespace by tests/e2e/turn-hearing.test.ts): a werift WHIP
// publisher of a GStreamer test picture (H.264, 320×240) and tone (Opus), so the room has someone to receive — the
// hearing's other direction. Prints {"ready":true,...} once connected, then {"sent":N} every second. Argument:
// JSON {hubUrl, hearing, name}. SIGTERM: DELETE the session, stop GStreamer.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Agent, fetch as undiciFetch } from 'undici';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { h264Codec } from '../../common/webrtc/h264-codec.js';

const { hubUrl, hearing, name } = JSON.parse(process.argv[2]!) as { hubUrl: string; hearing: string; name: string };
const dispatcher = new Agent({ connect: { rejectUnauthorized: false } }); // the hub's internal CA, over its own loopback

const udp = (kind: 'video' | 'audio', track: MediaStreamTrack) =>
  new Promise<number>((resolve) => {
    const s = createSocket('udp4');
    s.on('message', (m) => {
      if (pc.connectionState !== 'connected') return;
      track.writeRtp(m);
      sent++;
    });
    s.bind(0, '127.0.0.1', () => resolve(s.address().port));
    void kind;
  });

let sent = 0;
const pc = new RTCPeerConnection({
  codecs: {
    video: [h264Codec([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }])],
    audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
  },
  bundlePolicy: 'max-bundle',
  iceServers: [],
});
const video = new MediaStreamTrack({ kind: 'video' });
const audio = new MediaStreamTrack({ kind: 'audio' });
pc.addTransceiver(video, { direction: 'sendonly' });
pc.addTransceiver(audio, { direction: 'sendonly' });
const [vPort, aPort] = [await udp('video', video), await udp('audio', audio)];
const gst = spawn(
  'gst-launch-1.0',
  [
    '-q',
    ...`videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=300 ! video/x-h264,profile=constrained-baseline ! rtph264pay pt=96 config-interval=-1 aggregate-mode=zero-latency ! udpsink host=127.0.0.1 port=${vPort} sync=false`.split(
      ' ',
    ),
    ...`audiotestsrc is-live=true wave=sine freq=440 ! audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay pt=111 ! udpsink host=127.0.0.1 port=${aPort} sync=false`.split(
      ' ',
    ),
  ],
  { stdio: 'ignore' },
);
await pc.setLocalDescription(await pc.createOffer());
await new Promise<void>((r) => {
  if (pc.iceGatheringState === 'complete') return r();
  pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && r());
});
const res = await undiciFetch(`${hubUrl}/whip/hearings/${hearing}?name=${encodeURIComponent(name)}`, {
  method: 'POST',
  headers: { 'content-type': 'application/sdp' },
  body: pc.localDescription!.sdp,
  dispatcher,
});
if (res.status !== 201) throw new Error(`WHIP POST ${res.status}: ${await res.text()}`);
const location = res.headers.get('location')!;
await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
await new Promise<void>((r) => {
  if (pc.connectionState === 'connected') return r();
  pc.connectionStateChange.subscribe((s) => s === 'connected' && r());
});
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, location })}\n`);
setInterval(() => process.stdout.write(`${JSON.stringify({ sent })}\n`), 1000);
process.on('SIGTERM', () => {
  gst.kill('SIGINT');
  void undiciFetch(new URL(location, hubUrl), { method: 'DELETE', dispatcher })
    .catch(() => undefined)
    .finally(() => pc.close().finally(() => process.exit(0)));
});
