// Benchmark: room CPU for 720p30 H.264 passthrough, side by side in one run against the same RTSP
// camera (simulators/rtsp-picture, one shared pipeline for every client):
//   ours:      rtsp-picture → media worker (forked by `reception daemon`) → RTP/UDP → `reception gateway`
//              → werift publish connection → `reception hub` (its counters are the receiver)
//   reference: gst-launch rtspsrc ! rtph264depay ! h264parse ! rtph264pay ! udpsink (the same
//              receive/packetize job), and the same with the camera's audio → Opus (as the worker does)
//   slate:     a second media worker forked directly with no camera (slate + silence only): the worker's
//              cost while the slate is on air.
// Then a second phase, recording: a hearing at the hub records the room (segments + manifest, as in a real
// hearing) and the reference records too (the same H.264 and its Opus into 2 s MPEG-TS segments, splitmuxsink).
// Usage: npx tsc -p tsconfig.json && npx tsx bench/room-passthrough-cpu.ts [--seconds 20]
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSocket, type Socket } from 'node:dgram';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createRtspPicture } from '../simulators/rtsp-picture/index.js';
import { freePort } from '../tests/helpers/free-port.js';
import { until } from '../tests/helpers/until.js';
import { cpuShare, rssMb } from './lib/cpu.js';
import {
  benchDir,
  childPids,
  comm,
  hubMetrics,
  machineBusy,
  percentile,
  requireBuild,
  round,
  udpCounters,
  sleep,
  startDaemon,
  startGateway,
  gatewayStateHeaders,
  startHub,
  stopAll,
  threadProfile,
  sumMetric,
  writeRoomConfig,
} from './lib/room.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' } } });

/** A UDP sink that counts packets (the references' and the slate worker's output). */
async function counter(): Promise<{ port: number; packets: () => number; sock: Socket }> {
  const sock = createSocket('udp4');
  let n = 0;
  sock.on('message', () => n++);
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { port: sock.address().port, packets: () => n, sock };
}

function gstReference(uri: string, videoPort: number, audioPort?: number) {
  const audio = audioPort
    ? `src. ! application/x-rtp,media=audio ! decodebin ! audioconvert ! audioresample ! opusenc bitrate=64000 frame-size=20 ! rtpopuspay pt=111 ! udpsink host=127.0.0.1 port=${audioPort} sync=false async=false`
    : 'src. ! application/x-rtp,media=audio ! fakesink sync=false async=false';
  const pipeline = `rtspsrc name=src location=${uri} protocols=tcp latency=100 src. ! application/x-rtp,media=video ! rtph264depay ! h264parse ! rtph264pay config-interval=1 pt=96 ! udpsink host=127.0.0.1 port=${videoPort} sync=false async=false ${audio}`;
  return spawn('gst-launch-1.0', ['-q', ...pipeline.split(' ')], { stdio: 'ignore' });
}

/** gst-launch doing the room's whole job: receive, packetize (video + Opus) and record 2 s MPEG-TS segments. */
function gstRecordingReference(uri: string, videoPort: number, audioPort: number, dir: string) {
  const au = 'video/x-h264,stream-format=byte-stream,alignment=au';
  const pipeline = [
    `rtspsrc name=src location=${uri} protocols=tcp latency=100`,
    `src. ! application/x-rtp,media=video ! rtph264depay ! h264parse config-interval=-1 ! ${au} ! tee name=v`,
    `v. ! queue ! rtph264pay config-interval=1 pt=96 ! udpsink host=127.0.0.1 port=${videoPort} sync=false async=false`,
    'v. ! queue ! sm.video',
    'src. ! application/x-rtp,media=audio ! decodebin ! audioconvert ! audioresample ! opusenc bitrate=64000 frame-size=20 ! tee name=a',
    `a. ! queue ! rtpopuspay pt=111 ! udpsink host=127.0.0.1 port=${audioPort} sync=false async=false`,
    'a. ! queue ! sm.audio_0',
    `splitmuxsink name=sm location=${dir}/seg-%05d.ts muxer-factory=mpegtsmux max-size-time=2000000000`,
  ].join(' ');
  return spawn('gst-launch-1.0', ['-q', ...pipeline.split(' ')], { stdio: 'ignore' });
}

async function main() {
  requireBuild();
  const dir = benchDir('bench-room-cpu');
  const camPort = await freePort();
  const cam = createRtspPicture({ port: camPort, path: 'stream', name: 'BENCH-CAM' });
  await cam.start();
  const camPid = childPids(process.pid).find((p) => /python/.test(comm(p)));
  const hub = await startHub(dir, 1);
  const room = await writeRoomConfig(dir, { room: 1, hubSignal: hub.signal, rtspUri: cam.rtspUri });
  const daemon = await startDaemon(dir, room).catch(async (e) => (await stopAll([hub]), await cam.stop(), Promise.reject(e)));
  const gateway = await startGateway(dir, room).catch(async (e) => (await stopAll([daemon, hub]), await cam.stop(), Promise.reject(e)));
  const sinks = {
    gstV: await counter(),
    gstVA: await counter(),
    gstVAaudio: await counter(),
    slateV: await counter(),
    slateA: await counter(),
    gstRec: await counter(),
    gstRecAudio: await counter(),
  };
  let gstRec: ChildProcess | undefined;
  const gstV = gstReference(cam.rtspUri, sinks.gstV.port);
  const gstVA = gstReference(cam.rtspUri, sinks.gstVA.port, sinks.gstVAaudio.port);
  const slate = fork('dist/daemon/drivers/media/worker/media-worker.js', [], {
    env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'json',
  });
  slate.send({
    type: 'start',
    roomName: 'slate only',
    slateText: 'Camera unavailable',
    primaryUri: null,
    backupUri: null,
    audioSource: 'camera',
    alsaDevice: 'default',
    transcode: 'auto',
    lossTimeoutMs: 700,
    host: '127.0.0.1',
    videoRtpPort: sinks.slateV.port,
    audioRtpPort: sinks.slateA.port,
    maxRssMb: 4096,
  });
  try {
    const api = `http://127.0.0.1:${room.apiPort}/api/v1/media/status`;
    const status = await until(
      'worker in passthrough with the camera on air',
      40_000,
      async () => {
        const s = (await (await fetch(api)).json()) as {
          workerPid: number | null;
          source: string;
          sources: { primary?: { mode?: string } } | null;
        };
        return s.workerPid && s.source === 'primary' && s.sources?.primary?.mode ? s : undefined;
      },
      250,
    );
    const received = async () =>
      sumMetric(await hubMetrics(hub.url), 'reception_hub_received_packets_total', 'participant="room-demo"', 'kind="video"');
    await until('hub receiving the room', 40_000, async () => (await received()) > 200, 250);
    await until(
      'references and slate worker sending',
      30_000,
      () => sinks.gstV.packets() > 100 && sinks.gstVA.packets() > 100 && sinks.slateV.packets() > 20,
      250,
    );
    await sleep(3000); // settle: first keyframes, JIT warm-up
    const pids = {
      worker: status.workerPid!,
      gateway: gateway.child.pid!,
      daemon: daemon.child.pid!,
      hub: hub.child.pid!,
      gstVideo: gstV.pid!,
      gstVideoAudio: gstVA.pid!,
      workerSlateOnly: slate.pid!,
      ...(camPid ? { camera: camPid } : {}),
    };
    const c0 = Object.fromEntries(Object.entries(sinks).map(([k, s]) => [k, s.packets()]));
    const h0 = await received();
    const gatewayState = async () =>
      (
        (await (await fetch(`${gateway.ready.url}/state`, { headers: await gatewayStateHeaders(room) })).json()) as {
          counters: { packetsFromWorker: number; packetsSent: number };
        }
      ).counters;
    const g0 = await gatewayState();
    const u0 = udpCounters();
    const busy = machineBusy();
    const ms = Number(values.seconds) * 1000;
    // The worker's own 1 s stats while we measure: frames and bitrate leaving it.
    const samples: { fps: number; kbps: number; cameraFps: number }[] = [];
    const poll = setInterval(
      () =>
        void fetch(api)
          .then((r) => r.json())
          .then((s: any) => samples.push({ fps: s.fps, kbps: s.bitrateKbps, cameraFps: s.sources?.primary?.fps ?? 0 }))
          .catch(() => {}),
      1000,
    );
    // Where the worker's time goes: GStreamer names its streaming threads after their element.
    const threads = { worker: threadProfile(pids.worker), workerSlateOnly: threadProfile(pids.workerSlateOnly) };
    const cpu = await cpuShare(pids, ms);
    clearInterval(poll);
    const top = (p: Record<string, number>) => Object.fromEntries(Object.entries(p).slice(0, 14));
    const threadCpu = { worker: top(threads.worker()), workerSlateOnly: top(threads.workerSlateOnly()) };
    const machine = busy();
    const h1 = await received();
    const g1 = await gatewayState();
    const u1 = udpCounters();
    const pps = (k: keyof typeof sinks) => Math.round(((sinks[k].packets() - c0[k]!) * 1000) / ms);
    const finalStatus = (await (await fetch(api)).json()) as {
      source: string;
      sources: { primary?: { mode?: string; fps?: number } };
      fps: number;
      bitrateKbps: number;
    };
    const ours = cpu.worker + cpu.gateway;
    const passthrough = {
      seconds: ms / 1000,
      cpuPercentOfOneCore: cpu,
      ratios: {
        workerPlusGatewayToGstVideo: round(ours / cpu.gstVideo!, 2),
        workerPlusGatewayToGstVideoAudio: round(ours / cpu.gstVideoAudio!, 2),
        workerToGstVideoAudio: round(cpu.worker! / cpu.gstVideoAudio!, 2),
        workerSlateOnlyShareOfWorker: round(cpu.workerSlateOnly! / cpu.worker!, 2),
        workerMinusSlateToGstVideoAudio: round((cpu.worker! - cpu.workerSlateOnly!) / cpu.gstVideoAudio!, 2),
      },
      machine: { ...machine, loadAverage1m: loadavg()[0] },
      threadCpuPercentOfOneCore: threadCpu,
      udpDropsDuringRun: { rcvbufErrors: u1.rcvbufErrors - u0.rcvbufErrors, inErrors: u1.inErrors - u0.inErrors },
      packetsPerSecond: {
        gatewayFromWorkerVideoAudio: Math.round(((g1.packetsFromWorker - g0.packetsFromWorker) * 1000) / ms),
        gatewaySent: Math.round(((g1.packetsSent - g0.packetsSent) * 1000) / ms),
        hubReceivedVideoFromRoom: Math.round(((h1 - h0) * 1000) / ms),
        gstVideo: pps('gstV'),
        gstVideoAudioVideo: pps('gstVA'),
        gstVideoAudioAudio: pps('gstVAaudio'),
        slateVideo: pps('slateV'),
        slateAudio: pps('slateA'),
      },
      worker: { source: finalStatus.source, mode: finalStatus.sources.primary?.mode, ...summary(samples) },
      rssMb: {
        worker: rssMb(status.workerPid!),
        workerSlateOnly: rssMb(slate.pid!),
        gateway: rssMb(gateway.child.pid!),
        daemon: rssMb(daemon.child.pid!),
        hub: rssMb(hub.child.pid!),
        gstVideo: rssMb(gstV.pid!),
        gstVideoAudio: rssMb(gstVA.pid!),
      },
    };
    // Phase 2, recording: a hearing at the hub; the room joins it and records (recorder → the worker's recording
    // pipeline, signed manifest), and the reference records the same camera into 2 s segments.
    const res = await fetch(`${hub.url}/api/v1/hearings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Đo CPU khi ghi hình / recording CPU bench', rooms: ['room-demo'] }),
    });
    if (res.status !== 201) throw new Error(`hearing: ${res.status} ${await res.text()}`);
    const recApi = `http://127.0.0.1:${room.apiPort}/api/v1/recording`;
    const recStatus = async () => (await (await fetch(recApi)).json()) as { state?: string; segments?: number };
    await until(
      async () => `the room recording (${JSON.stringify(await recStatus())})`,
      60_000,
      async () => {
        const r = await recStatus();
        return r.state === 'recording' && (r.segments ?? 0) >= 1;
      },
      250,
    );
    const recDir = join(dir, 'gst-recording');
    mkdirSync(recDir);
    gstRec = gstRecordingReference(cam.rtspUri, sinks.gstRec.port, sinks.gstRecAudio.port, recDir);
    await until('the reference recording', 30_000, () => readdirSync(recDir).length >= 2 && sinks.gstRec.packets() > 100, 250);
    await sleep(3000);
    const segs0 = { room: (await recStatus()).segments ?? 0, reference: readdirSync(recDir).length };
    const recThreads = threadProfile(pids.worker);
    const busy2 = machineBusy();
    const cpu2 = await cpuShare(
      { worker: pids.worker, gateway: pids.gateway, gstVideoAudio: pids.gstVideoAudio, gstVideoAudioRecord: gstRec.pid! },
      ms,
    );
    const recordingThreads = top(recThreads());
    const ours2 = cpu2.worker! + cpu2.gateway!;
    const recording = {
      seconds: ms / 1000,
      cpuPercentOfOneCore: cpu2,
      ratios: {
        workerPlusGatewayToGstVideoAudioRecord: round(ours2 / cpu2.gstVideoAudioRecord!, 2),
        workerToGstVideoAudioRecord: round(cpu2.worker! / cpu2.gstVideoAudioRecord!, 2),
        gstRecordToGstVideoAudio: round(cpu2.gstVideoAudioRecord! / cpu2.gstVideoAudio!, 2),
      },
      machine: { ...busy2(), loadAverage1m: loadavg()[0] },
      threadCpuPercentOfOneCore: { worker: recordingThreads },
      segmentsDuringRun: {
        room: ((await recStatus()).segments ?? 0) - segs0.room,
        reference: readdirSync(recDir).length - segs0.reference,
      },
      source: ((await (await fetch(api)).json()) as { source: string }).source,
    };
    console.log(JSON.stringify({ passthrough, recording }, null, 2));
  } finally {
    gstRec?.kill('SIGKILL');
    slate.kill('SIGKILL');
    gstV.kill('SIGKILL');
    gstVA.kill('SIGKILL');
    Object.values(sinks).forEach((s) => s.sock.close());
    await stopAll([gateway, daemon, hub]);
    await cam.stop();
  }
}

function summary(xs: { fps: number; kbps: number; cameraFps: number }[]) {
  const med = (k: 'fps' | 'kbps' | 'cameraFps') =>
    percentile(
      xs.map((x) => x[k]),
      50,
    );
  const min = (k: 'fps' | 'kbps' | 'cameraFps') => Math.min(...xs.map((x) => x[k]));
  return {
    samples: xs.length,
    outFpsMedian: med('fps'),
    outFpsMin: min('fps'),
    outKbpsMedian: med('kbps'),
    cameraFpsMedian: med('cameraFps'),
    cameraFpsMin: min('cameraFps'),
  };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
