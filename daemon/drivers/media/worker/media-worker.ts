// The media worker process: GStreamer lives here and only here (forked by the daemon's media module;
// a native crash costs one restart of this process). Talks to the daemon only through IPC messages.
import { createSocket } from 'node:dgram';
import { resolve } from 'node:path';
import { createRootLogger } from '../../../../common/log.js';
import { PARENT_PID_ENV } from '../../../../common/process/orphan-proof-spawn.js';
import { watchParent } from '../../../../common/process/parent-watch.js';
import { writerLockOn } from '../../../../common/storage/writer-lock.js';
import {
  WORKER_LOCK_DIR_ENV,
  WORKER_LOCK_FD_ENV,
  type DaemonToWorker,
  type RecordRequest,
  type WorkerSettings,
  type WorkerToDaemon,
} from '../worker-protocol.js';
import { redactCameraUri } from '../camera-source.js';
import { createAudioInput } from './audio-input.js';
import { createIngest, type Ingest } from './ingest.js';
import { createOutputs } from './outputs.js';
import { createRecording } from './recording.js';
import { createSwitcher } from './switcher.js';
import { createThreadWaits } from './thread-waits.js';

const log = createRootLogger('media-worker');
const send = (msg: WorkerToDaemon) => process.send?.(msg);
// Never outlive the daemon, even with this thread stuck in native code (see parent-watch.ts).
if (process.env[PARENT_PID_ENV]) watchParent(Number(process.env[PARENT_PID_ENV]));
// The recordings' writer lock, inherited from the daemon: no lock, no recording.
const lockFd = Number(process.env[WORKER_LOCK_FD_ENV]);
const writerLock = lockFd > 0 && process.env[WORKER_LOCK_DIR_ENV] ? writerLockOn(lockFd, process.env[WORKER_LOCK_DIR_ENV]) : undefined;

/** Why this worker may not write into `r.dir` (null: it may). */
function lockProblem(r: RecordRequest): string | null {
  if (!writerLock) return 'no writer lock inherited from the daemon';
  if (!resolve(r.dir).startsWith(writerLock.dir + '/')) return `${r.dir} is outside the locked recordings directory ${writerLock.dir}`;
  try {
    return writerLock.held() ? null : `the writer lock on ${writerLock.path} is held by another process`;
  } catch (err) {
    return `writer lock check failed: ${String(err)}`;
  }
}
const TICK_MS = 50;
const STATS_MS = 1000;

/** A UDP port free right now on loopback, for the internal ingest → main hops. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let shutdown: (() => void) | undefined;
let handlers:
  | {
      select(m: DaemonToWorker & { type: 'select' }): void;
      keyframe(): void;
      liveRate(kbps: number | null): void;
      record(m: DaemonToWorker & { type: 'record' }): void;
      recordStop(): Promise<void>;
    }
  | undefined;

async function start(s: WorkerSettings): Promise<void> {
  const ports = { primary: await freeUdpPort(), backup: await freeUdpPort(), audio: await freeUdpPort(), backupAudio: await freeUdpPort() };
  const recordPorts = { video: await freeUdpPort(), audio: await freeUdpPort() }; // the on-air RTP, again, for the recorder
  const outputs = createOutputs({
    ports,
    recordPorts,
    host: s.host,
    videoRtpPort: s.videoRtpPort,
    audioRtpPort: s.audioRtpPort,
    slateText: s.slateText,
    roomName: s.roomName,
    cameraAudio: s.audioSource === 'camera',
    log,
    onFatal(element, message) {
      send({ type: 'bus-error', element, message });
      log.error({ element, message }, 'main pipeline error: leaving so the daemon starts a fresh worker');
      setTimeout(() => process.exit(70), 100);
    },
  });
  const cameras: { primary?: Ingest; backup?: Ingest } = {};
  const threadWaits = createThreadWaits(); // one reading per tick, shared by both cameras
  const switcher = createSwitcher({ outputs, cameras, log, onSwitch: (source, reason) => send({ type: 'source', source, reason }) });
  const camera = (name: 'primary' | 'backup', uri: string, audioPort?: number) =>
    createIngest({
      name,
      uri,
      port: ports[name],
      audioPort,
      transcode: s.transcode,
      lossTimeoutMs: s.lossTimeoutMs,
      tickMs: TICK_MS,
      threadWaits: () => threadWaits.read(),
      log,
      onFrame: () => switcher.onFrame(name),
      onAlive: (alive, reason) => (log.info({ camera: name, alive, reason }, 'camera liveness'), switcher.evaluate()),
    });
  if (s.primaryUri) cameras.primary = camera('primary', s.primaryUri, s.audioSource === 'camera' ? ports.audio : undefined);
  if (s.backupUri) cameras.backup = camera('backup', s.backupUri, s.audioSource === 'camera' ? ports.backupAudio : undefined);
  const recording = createRecording({
    ports: recordPorts,
    remoteAudioRtpPort: s.remoteAudioRtpPort,
    log,
    send,
    onStarted: () => switcher.keyframe(), // slate / transcoded camera: an IDR now, so the first segment starts at once
  });
  const audioIn =
    s.audioSource === 'camera' ? undefined : createAudioInput({ source: s.audioSource, alsaDevice: s.alsaDevice, port: ports.audio, log });

  outputs.start('slate');
  cameras.primary?.start();
  cameras.backup?.start();
  audioIn?.start();

  const tick = setInterval(() => {
    cameras.primary?.check();
    cameras.backup?.check();
    threadWaits.endTick();
    audioIn?.check();
    switcher.evaluate();
  }, TICK_MS);
  const stats = setInterval(() => {
    const out = outputs.take();
    const now = performance.now(); // the sources' clock (monotonic)
    const onAir = switcher.onAir;
    const rssMb = Math.round(process.memoryUsage.rss() / 1048576);
    send({
      type: 'stats',
      fps: out.frames,
      bitrateKbps: Math.round((out.bytes * 8) / 1000),
      source: onAir,
      selection: switcher.selection,
      sources: {
        primary: cameras.primary?.liveness(now) ?? { alive: false, lastFrameAgoMs: null, fps: 0 },
        ...(cameras.backup ? { backup: cameras.backup.liveness(now) } : {}),
        slate: { alive: true, lastFrameAgoMs: 0, fps: onAir === 'slate' ? out.frames : 0 },
      },
      ...(audioIn ? { microphone: audioIn.liveness(now) } : {}),
      packetsOut: out.packetsOut,
      audioPacketsOut: out.audioPacketsOut,
      rssMb,
      live: outputs.live,
    });
    cameras.primary?.takeBytes();
    cameras.backup?.takeBytes();
    // Dropped pipelines are freed (destroy(), patches/gstreamer-superficial+1.7.4.patch); a leak we do not
    // know of still has a ceiling: past the budget, leave cleanly and let the daemon start a fresh worker.
    if (rssMb > s.maxRssMb) {
      log.warn({ rssMb, maxRssMb: s.maxRssMb }, 'worker memory over budget: recycling');
      shutdown?.();
      process.exit(75);
    }
  }, STATS_MS);

  handlers = {
    select: (m) => switcher.select(m.source),
    keyframe: () => log.debug({ result: switcher.keyframe(), adapted: outputs.adaptedKeyframe() }, 'keyframe request'),
    liveRate: (kbps) => {
      const before = outputs.live;
      const now = outputs.liveRate(kbps);
      if ((before === null) !== (now === null))
        log.info({ live: now }, now ? 'poor link: live picture re-encoded' : 'link recovered: live picture passed through');
    },
    record: (m) => {
      const problem = lockProblem(m);
      if (!problem) return void recording.record(m);
      log.error({ dir: m.dir, problem }, 'refusing to record');
      send({ type: 'record-error', hearing: m.hearing, file: null, element: 'writer-lock', message: problem, retryInMs: 0 });
    },
    recordStop: () => recording.stop(),
  };
  shutdown = () => {
    clearInterval(tick);
    clearInterval(stats);
    cameras.primary?.stop();
    cameras.backup?.stop();
    audioIn?.stop();
    outputs.stop();
    threadWaits.close();
  };
  const uri = (u: string | null) => u && redactCameraUri(u);
  log.info({ ports, primary: uri(s.primaryUri), backup: uri(s.backupUri), audio: s.audioSource }, 'media worker started');
  send({ type: 'ready' });
}

process.on('message', (msg: DaemonToWorker) => {
  switch (msg.type) {
    case 'start':
      if (shutdown) return; // one start per process
      start(msg).catch((err) => {
        log.error({ err }, 'media worker failed to start');
        process.exit(71);
      });
      return;
    case 'select':
      return handlers?.select(msg);
    case 'keyframe':
      return handlers?.keyframe();
    case 'live-rate':
      return handlers?.liveRate(msg.kbps);
    case 'record':
      return handlers?.record(msg);
    case 'record-stop':
      return void handlers?.recordStop();
    case 'stop':
      // Close the open segment properly first (bounded: the daemon kills after 2 s).
      void (handlers?.recordStop() ?? Promise.resolve()).finally(() => {
        shutdown?.();
        process.exit(0);
      });
      return;
  }
});
// The daemon is gone (crash, kill -9): leave with it at once, no orphaned pipelines on the camera.
// No orderly pipeline shutdown here: setting a live pipeline to NULL can block this thread while
// GStreamer's own threads keep encoding (seen: orphaned workers burning CPU after their daemon
// died). Exiting closes the camera connections; the open TS segment is salvaged by the next worker.
process.on('disconnect', () => process.exit(0));
