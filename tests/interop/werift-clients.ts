import { createSocket } from 'node:dgram';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, type RTCPeerConnectionConfig } from 'werift';
import { h264Codec } from '../../common/webrtc/h264-codec.js';
import { spawn } from 'node:child_process';
import { freePort } from '../helpers/free-port.js';
import { startRtpDecoder, type GstClient } from './gst-client.js';

// werift as someone else's WHIP publisher and WHEP viewer would use it: plain RFC 9725 HTTP (fetch), werift's
// own defaults plus H.264/Opus, no project signaling. The publisher sends a GStreamer test picture and a
// 440 Hz tone (as the other publishers); the viewer hands what it receives to GStreamer decoders (rtp_decode.py).

const config = (): RTCPeerConnectionConfig => ({
  codecs: {
    video: [h264Codec([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }])],
    audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
  },
  bundlePolicy: 'max-bundle',
  iceServers: [], // werift's default is a public STUN server: nothing to reach from a test
});

async function whipExchange(pc: RTCPeerConnection, url: string, token?: string) {
  await pc.setLocalDescription(await pc.createOffer());
  const headers: Record<string, string> = { 'content-type': 'application/sdp', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(url, { method: 'POST', headers, body: pc.localDescription!.sdp });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${body}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: body });
  const location = new URL(res.headers.get('location')!, url).toString();
  return { location, remove: () => fetch(location, { method: 'DELETE', headers }).then((r) => r.status) };
}

export async function startWeriftPublisher(url: string, token?: string) {
  const pc = new RTCPeerConnection(config());
  const tracks = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };
  pc.addTransceiver(tracks.video, { direction: 'sendonly' });
  pc.addTransceiver(tracks.audio, { direction: 'sendonly' });
  const sockets = await Promise.all(
    (['video', 'audio'] as const).map(async (kind) => {
      const s = createSocket('udp4');
      s.on('message', (buf) => tracks[kind].writeRtp(buf));
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      return s;
    }),
  );
  const gst = startSource(sockets[0]!.address().port, sockets[1]!.address().port);
  const session = await whipExchange(pc, url, token);
  return {
    location: session.location,
    async stop() {
      const status = await session.remove();
      await gst.stop();
      sockets.forEach((s) => s.close());
      await pc.close();
      return status;
    },
  };
}

/** The same picture and tone as the webrtcbin publisher's (320×240 at 15 fps, 300 kbit/s; 440 Hz at 0.3) as RTP to loopback. */
function startSource(videoPort: number, audioPort: number) {
  const pipeline =
    'videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! ' +
    'x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=300 ! video/x-h264,profile=constrained-baseline ! ' +
    `rtph264pay pt=96 config-interval=-1 aggregate-mode=zero-latency ! udpsink host=127.0.0.1 port=${videoPort} ` +
    'audiotestsrc is-live=true wave=sine freq=440 volume=0.3 ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111 ! ' +
    `udpsink host=127.0.0.1 port=${audioPort}`;
  const child = spawn('gst-launch-1.0', ['-q', ...pipeline.split(' ')], { stdio: 'ignore' });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}

export async function startWeriftViewer(
  url: string,
  token?: string,
): Promise<{ decoder: GstClient; location: string; state(): string; stop(): Promise<number> }> {
  const ports = { videoPort: await freePort(), audioPort: await freePort() };
  const decoder = startRtpDecoder(ports);
  await decoder.waitFor((e) => e.event === 'ready', 'the decoder');
  const out = createSocket('udp4');
  const pc = new RTCPeerConnection(config());
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  const received = { video: 0, audio: 0 };
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((rtp) => {
      received[track.kind as 'video' | 'audio']++;
      rtp.header.payloadType = track.kind === 'video' ? 96 : 111;
      out.send(rtp.serialize(), track.kind === 'video' ? ports.videoPort : ports.audioPort, '127.0.0.1');
    }),
  );
  // As a real viewer does: no picture yet → ask the sender for a keyframe (PLI) each second until one decodes.
  // A Chromium publisher sends keyframes only on request; the one the hub asks for at connect can come before
  // this viewer's decoder has what it needs (a packet of it dropped on the local UDP hop).
  const askForKeyframe = setInterval(() => {
    const decoded = decoder.events.some((e) => e.event === 'stats' && Number(e.frames) > 0);
    if (decoded) return clearInterval(askForKeyframe);
    const video = pc.getTransceivers().find((t) => t.kind === 'video');
    const ssrc = video?.receiver.tracks[0]?.ssrc;
    if (ssrc !== undefined) video!.receiver.sendRtcpPLI(ssrc).catch(() => {});
  }, 1000);
  const session = await whipExchange(pc, url, token).catch((err) => {
    clearInterval(askForKeyframe);
    throw err;
  });
  return {
    decoder,
    location: session.location,
    state: () => `werift ${pc.connectionState}, RTP received ${JSON.stringify(received)}`,
    async stop() {
      clearInterval(askForKeyframe);
      const status = await session.remove();
      await pc.close();
      out.close();
      await decoder.stop();
      return status;
    },
  };
}
