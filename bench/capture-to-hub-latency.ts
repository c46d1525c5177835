// Benchmark: capture → hub → subscriber latency of the room's video, per frame. A live 720p30 H.264
// source (bench/lib/sei-source.py) puts each frame's wall-clock capture time into an SEI NAL (user
// data unregistered) in front of the access unit; receivers parse it from the RTP payload (single
// NAL type 6 or inside STAP-A) and compute now − capture. Same clock, same machine. Three paths, at
// the same time, from the same frames:
//   direct:     source → UDP → this process (capture + encode + packetize: the source's own part)
//   gateway:    source → UDP → `reception gateway` (room 1) → werift → `reception hub` → werift officer here
//   worker:     source → RTSP (served by the source, like a camera) → media worker (forked as the daemon
//               forks it, passthrough) → UDP → `reception gateway` (room 2) → hub → the same officer
// Phases (issue 15 target 5), alternated --rounds times in one run, --seconds each: quiet; hog (one
// `yes > /dev/null` per core, nice 0); hog + room priorities (worker and gateways at nice -10, as
// media.workerNice and the gateway unit's Nice= set them); hog + room + hub priorities. Per phase: each
// path's latency, each process's run-queue wait (ms per s, /proc schedstat), the hub's and the
// subscriber's event-loop delay. The source (the camera) and this process (the subscriber, a browser
// elsewhere in real life) are the instrument: nice -15 throughout when run as root.
// Usage: npx tsc -p tsconfig.json && npx tsx bench/capture-to-hub-latency.ts [--seconds 15] [--rounds 2]
import { fork, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { RtpPacket } from 'werift';
import { WeriftParticipant } from '../hub/test/werift-participant.js';
import { freePort } from '../tests/helpers/free-port.js';
import { until } from '../tests/helpers/until.js';
import { cpuShare } from './lib/cpu.js';
import { cpus, getPriority, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { reniceAll, runDelayWindow, startHog, stopHog } from './lib/sched-load.js';
import {
  benchDir,
  machineBusy,
  demoRoom,
  percentile,
  requireBuild,
  round,
  sleep,
  startGateway,
  startHub,
  stopAll,
  writeRoomConfig,
} from './lib/room.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '2' },
    nice: { type: 'string', default: '-10' },
    phases: { type: 'string', default: 'quiet,hog,hog+room-nice,hog+room+hub-nice' },
    // The hub as part of the instrument (nice -15 throughout), as if on its own box: the room's hops alone.
    'hub-instrument': { type: 'boolean', default: false },
  },
});
const PHASES = values.phases.split(',');
const UUID = Buffer.from('RCP-LATENCY-SEI!');
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Capture time (µs) of the SEI in this RTP H.264 payload, if it carries ours. */
function seiCaptureUs(payload: Buffer): number | undefined {
  const type = payload[0]! & 0x1f;
  const nals: Buffer[] = [];
  if (type === 6) nals.push(payload);
  else if (type === 24) {
    for (let off = 1; off + 2 <= payload.length; ) {
      const len = payload.readUInt16BE(off);
      nals.push(payload.subarray(off + 2, off + 2 + len));
      off += 2 + len;
    }
  }
  for (const nal of nals) {
    if ((nal[0]! & 0x1f) !== 6) continue;
    const at = nal.indexOf(UUID);
    if (at >= 0) return Number(nal.subarray(at + 16, at + 32).toString('ascii'));
  }
  return undefined;
}

function collector() {
  const lat: number[] = [];
  const seen = new Set<number>();
  let duplicates = 0;
  return {
    lat,
    get duplicates() {
      return duplicates;
    },
    onPayload(payload: Buffer) {
      const t = seiCaptureUs(payload);
      if (t === undefined) return;
      if (seen.has(t)) return void duplicates++; // a retransmission (NACK) or a repeated SEI: first arrival counts
      seen.add(t);
      lat.push((nowUs() - t) / 1000);
    },
    summary(from: number, to = lat.length) {
      const xs = lat.slice(from, to);
      return {
        frames: xs.length,
        duplicateSeiPackets: duplicates,
        p50Ms: round(percentile(xs, 50)),
        p95Ms: round(percentile(xs, 95)),
        p99Ms: round(percentile(xs, 99)),
        maxMs: round(Math.max(...xs)),
        minMs: round(Math.min(...xs)),
      };
    },
  };
}

async function main() {
  requireBuild();
  const dir = benchDir('bench-latency');
  const hub = await startHub(dir, 2);
  const roomA = await writeRoomConfig(dir, { room: 1, hubSignal: hub.signal, name: 'direct to gateway' });
  const roomB = await writeRoomConfig(dir, { room: 2, hubSignal: hub.signal, name: 'through the media worker' });
  const direct = collector();
  const viaGateway = collector();
  const viaWorker = collector();
  const sock = createSocket('udp4');
  sock.on('message', (buf) => direct.onPayload(buf.subarray(12 + (buf[0]! & 0x0f) * 4)));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const [rtspPort, internalPort] = [await freePort(), await freeUdp()];
  const source = spawn(
    '/usr/bin/python3',
    [
      'bench/lib/sei-source.py',
      '--udp',
      `127.0.0.1:${sock.address().port}`,
      '--udp',
      `127.0.0.1:${roomA.videoRtpPort}`,
      '--rtsp-port',
      String(rtspPort),
      '--internal-port',
      String(internalPort),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const sourceReady = await new Promise<{ rtsp: string }>((resolve, reject) => {
    createInterface({ input: source.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
    source.once('exit', (c) => reject(new Error(`sei-source exited ${c}`)));
  });
  const gwA = await startGateway(dir, roomA, 'gateway-a');
  const gwB = await startGateway(dir, roomB, 'gateway-b');
  const worker = fork('dist/daemon/drivers/media/worker/media-worker.js', [], {
    env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'json',
  });
  let workerSource = 'slate';
  worker.on('message', (m: { type: string; source?: string }) => m.type === 'stats' && (workerSource = m.source ?? workerSource));
  worker.send({
    type: 'start',
    roomName: 'bench',
    slateText: 'Camera unavailable',
    primaryUri: sourceReady.rtsp,
    backupUri: null,
    audioSource: 'test',
    alsaDevice: 'default',
    transcode: 'never',
    lossTimeoutMs: 700,
    host: '127.0.0.1',
    videoRtpPort: roomB.videoRtpPort,
    audioRtpPort: roomB.audioRtpPort,
    maxRssMb: 4096,
  });
  const officer = new WeriftParticipant({ url: hub.signal, kind: 'officer', id: 'bench-officer' });
  try {
    const res = await fetch(`${hub.url}/api/v1/hearings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'latency', rooms: [demoRoom(1).id, demoRoom(2).id] }),
    });
    if (res.status !== 201) throw new Error(`hearing: ${res.status} ${await res.text()}`);
    const hearing = ((await res.json()) as { id: string }).id;
    (officer.opts as { hearing?: string }).hearing = hearing;
    await officer.connect();
    // Tap every video track of the officer's subscriptions (the participant class only counts packets).
    const tapped = new Set<unknown>();
    const tap = setInterval(() => {
      for (const sub of officer.subs.values()) {
        for (const t of sub.pc.getTransceivers()) {
          for (const track of t.receiver.tracks) {
            if (track.kind !== 'video' || tapped.has(track)) continue;
            tapped.add(track);
            const c = sub.publisher === demoRoom(1).id ? viaGateway : viaWorker;
            track.onReceiveRtp.subscribe((rtp: RtpPacket) => c.onPayload(rtp.payload));
          }
        }
      }
    }, 100);
    await until(
      'frames on both paths',
      180_000, // a box at load 40 takes minutes to connect
      () => viaGateway.lat.length > 30 && viaWorker.lat.length > 30 && workerSource === 'primary',
      250,
    );
    await sleep(3000);
    const root = process.getuid?.() === 0;
    if (root) reniceAll([process.pid, source.pid!], -15); // the instrument (camera + far browser), never the subject
    const pids = { hub: hub.child.pid!, gatewayA: gwA.child.pid!, gatewayB: gwB.child.pid!, worker: worker.pid! };
    const room = [pids.gatewayA, pids.gatewayB, pids.worker];
    const ms = Number(values.seconds) * 1000;
    const hubBase = root && values['hub-instrument'] ? -15 : 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const phases: unknown[] = [];
    for (let round = 1; round <= Number(values.rounds); round++)
      for (const phase of PHASES) {
        // Each phase starts with no backlog: a starved hop leaves seconds of packets queued behind it.
        await until('the backlog drained', 20_000, () => drained(viaGateway.lat) && drained(viaWorker.lat), 250).catch(() => undefined);
        const hog = phase === 'quiet' ? [] : startHog(cpus().length);
        reniceAll(room, phase.includes('room') ? Number(values.nice) : 0);
        reniceAll([pids.hub], phase.includes('hub') ? Number(values.nice) : hubBase);
        await sleep(1000); // the hog and the new nice settle
        const from = { d: direct.lat.length, a: viaGateway.lat.length, b: viaWorker.lat.length };
        const busy = machineBusy();
        const waits = runDelayWindow({ ...pids, source: source.pid!, subscriber: process.pid });
        loop.reset();
        const cpu = await cpuShare({ ...pids, source: source.pid!, subscriber: process.pid }, ms);
        phases.push({
          round,
          phase,
          nice: Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, getPriority(pid)])),
          p95Ms: {
            direct: direct.summary(from.d).p95Ms,
            gateway: viaGateway.summary(from.a).p95Ms,
            worker: viaWorker.summary(from.b).p95Ms,
          },
          latencyMs: { direct: direct.summary(from.d), gateway: viaGateway.summary(from.a), worker: viaWorker.summary(from.b) },
          runQueueWaitMsPerS: waits(),
          workerOnAir: workerSource, // slate frames carry no SEI: a starved worker that lost its camera shows none
          eventLoopP99Ms: { subscriber: round1(loop.percentile(99) / 1e6), hub: await hubLoopP99(hub.url) },
          cpuPercentOfOneCore: cpu,
          machine: { ...busy(), loadAverage: loadavg().map(round1) },
        });
        stopHog(hog);
        reniceAll(room, 0);
        reniceAll([pids.hub], hubBase);
        console.error(JSON.stringify(phases.at(-1)));
      }
    clearInterval(tap);
    console.log(
      JSON.stringify(
        {
          seconds: ms / 1000,
          instrumentNice: root ? -15 : 'not root: instrument at nice 0',
          hubNiceOutsideHubPhases: hubBase,
          paths: {
            direct: 'capture + x264 encode + RTP packetize → UDP → bench',
            gateway: 'capture/encode → UDP → gateway (werift publish) → hub (werift SFU) → werift subscriber',
            worker:
              'capture/encode → RTSP server → media worker (rtspsrc latency=100, passthrough) → UDP → gateway → hub → werift subscriber',
          },
          phases,
        },
        null,
        2,
      ),
    );
  } finally {
    await officer.close().catch(() => undefined);
    worker.kill('SIGKILL');
    source.stdin!.end();
    source.kill('SIGKILL');
    sock.close();
    await stopAll([gwA, gwB, hub]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;
/** The last 30 frames (1 s) all arrived within 100 ms. */
const drained = (lat: number[]) => lat.length > 30 && lat.slice(-30).every((x) => x < 100);

/** The hub's last closed 10 s event-loop window, p99 ms (its /metrics). */
async function hubLoopP99(url: string): Promise<number | null> {
  const text = await fetch(`${url}/metrics`).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const m = /^reception_hub_event_loop_delay_seconds\{stat="p99"\} ([\d.e-]+)$/m.exec(text);
  return m ? round1(Number(m[1]) * 1000) : null;
}

async function freeUdp(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
