// Benchmark: werift vs GStreamer webrtcbin sending the same 720p30 H.264 RTP stream over WebRTC
// (loopback), measured side by side in one run. One gst-launch encoder feeds both senders
// (its CPU is not counted); werift receivers in this process count what arrives.
// Usage: npx tsx bench/webrtc-sender-cpu.ts [--seconds 20] (the werift sender runs under tsx too: bench/ is not built)
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { RTCPeerConnection } from 'werift';
import { freePort } from '../tests/helpers/free-port.js';
import { cpuShare, rssMb } from './lib/cpu.js';
import { inBenchNamespace, reexecInNamespace } from './lib/netns.js';
import { h264Codec } from '../common/webrtc/h264-codec.js';

if (!inBenchNamespace()) reexecInNamespace();

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' } } });

function receiver() {
  const pc = new RTCPeerConnection({
    codecs: {
      video: [h264Codec([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }])],
    },
  });
  const stats = { packets: 0, bytes: 0 };
  pc.onTrack.subscribe((t) =>
    t.onReceiveRtp.subscribe((rtp) => {
      stats.packets++;
      stats.bytes += rtp.payload.length;
    }),
  );
  return { pc, stats };
}

/** Connects a sender process (JSON-lines signaling on stdio) to a fresh werift receiver. */
async function connect(child: ChildProcess) {
  const { pc, stats } = receiver();
  let remoteSet: Promise<void> | undefined;
  await new Promise<void>((answered) => {
    // webrtcbin trickles its candidates after the offer; werift puts them in the offer.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { offer?: string; candidate?: string; sdpMLineIndex?: number };
      if (msg.offer) {
        remoteSet = (async () => {
          await pc.setRemoteDescription({ type: 'offer', sdp: msg.offer! });
          await pc.setLocalDescription(await pc.createAnswer());
          child.stdin!.write(JSON.stringify({ answer: pc.localDescription!.sdp }) + '\n');
          answered();
        })();
      } else if (msg.candidate) {
        void remoteSet
          ?.then(() => pc.addIceCandidate({ candidate: msg.candidate!, sdpMLineIndex: msg.sdpMLineIndex ?? 0 }))
          .catch(() => {});
      }
    });
  });
  return { pc, stats };
}

async function main() {
  const [portA, portB] = await Promise.all([freePort(), freePort()]);
  const encoder = spawn(
    'gst-launch-1.0',
    [
      '-q',
      'videotestsrc',
      'is-live=true',
      'pattern=smpte',
      'horizontal-speed=4',
      '!',
      'video/x-raw,width=1280,height=720,framerate=30/1',
      '!',
      'x264enc',
      'tune=zerolatency',
      'speed-preset=ultrafast',
      'bitrate=2500',
      'key-int-max=30',
      '!',
      'video/x-h264,profile=constrained-baseline',
      '!',
      'rtph264pay',
      'pt=96',
      'ssrc=305419896',
      'config-interval=1',
      'mtu=1200',
      '!',
      'multiudpsink',
      `clients=127.0.0.1:${portA},127.0.0.1:${portB}`,
    ],
    { stdio: 'ignore' },
  );
  // BENCH_WERIFT_CPU_PROF=DIR: V8 CPU profile of the werift sender, written to DIR when it stops (open in Chrome DevTools).
  const prof = process.env.BENCH_WERIFT_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${process.env.BENCH_WERIFT_CPU_PROF}`]
    : [];
  const weriftSender = spawn(
    process.execPath,
    [...prof, '--import', 'tsx', 'bench/webrtc-senders/werift-sender.ts', '--port', String(portA)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const gstSender = spawn('/usr/bin/python3', ['bench/webrtc-senders/webrtcbin-sender.py', '--port', String(portB)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const [w, g] = await Promise.all([connect(weriftSender), connect(gstSender)]);
    await new Promise((r) => setTimeout(r, 3000)); // ICE + DTLS, first keyframes
    for (let i = 0; process.env.BENCH_DEBUG && i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      console.error({ wp: w.stats.packets, gp: g.stats.packets });
    }
    if (process.env.BENCH_DEBUG)
      console.error({
        wp: w.stats.packets,
        gp: g.stats.packets,
        werift: w.pc.connectionState,
        webrtcbin: g.pc.connectionState,
        wIce: w.pc.iceConnectionState,
        gIce: g.pc.iceConnectionState,
      });
    const w0 = { ...w.stats },
      g0 = { ...g.stats };
    const ms = Number(values.seconds) * 1000;
    const cpu = await cpuShare({ werift: weriftSender.pid!, webrtcbin: gstSender.pid!, encoder: encoder.pid! }, ms);
    const rate = (s: { packets: number; bytes: number }, s0: typeof s) => ({
      pps: Math.round(((s.packets - s0.packets) * 1000) / ms),
      kbps: Math.round(((s.bytes - s0.bytes) * 8) / ms),
    });
    console.log(
      JSON.stringify(
        {
          seconds: ms / 1000,
          cpuPercentOfOneCore: cpu,
          ratioWeriftToWebrtcbin: Number((cpu.werift / cpu.webrtcbin).toFixed(2)),
          received: { werift: rate(w.stats, w0), webrtcbin: rate(g.stats, g0) },
          rssMb: { werift: rssMb(weriftSender.pid!), webrtcbin: rssMb(gstSender.pid!) },
          loadAverage: loadavg().map((l) => Number(l.toFixed(2))), // the box is shared: read the ratio with it
        },
        null,
        2,
      ),
    );
    await Promise.all([w.pc.close(), g.pc.close()]);
    if (prof.length) {
      // a clean exit writes the profile (SIGKILL would not)
      const exited = new Promise((r) => weriftSender.once('exit', r));
      weriftSender.kill('SIGTERM');
      await exited;
    }
  } finally {
    for (const p of [weriftSender, gstSender, encoder]) p.kill('SIGKILL');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
