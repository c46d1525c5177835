import type { EventEmitter } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ApplianceKey } from '../../../common/evidence/index.js';
import type { Logger } from '../../../common/log.js';
import type { DaemonToWorker, RecordingMessage, WorkerToDaemon } from '../../drivers/media/worker-protocol.js';
import { createManifestFile } from '../evidence/manifest-file.js';
import type { EventBus, HearingEvent } from '../events/event-bus.js';
import { openSession, type RecordingSession } from './recording-session.js';
import { listSegments } from './segment-files.js';
import { entryClock, type EntryClock } from '../../../common/evidence/entry-clock.js';

// Records the current hearing: tells the media worker when to record, enters every closed segment in
// the hearing's signed manifest (media duration, SHA-256, bytes, wall clock), and never leaves a hole
// silent (worker restarts, slate periods, disk full, recorder stops are gap entries).

export interface RecorderDeps {
  config: { enabled: boolean; segmentSeconds: number };
  recordingsDir: string;
  room: { id: string };
  /** The appliance key (daemon/modules/keys); read when a hearing opens. */
  key: () => ApplianceKey;
  /** The media module's worker channel (create-media.ts `worker`). */
  worker: { events: EventEmitter<{ message: [WorkerToDaemon]; state: [string] }>; send(m: DaemonToWorker): boolean } | undefined;
  /** The source on air now (media status), so a hearing opening on the slate marks it. */
  onAir: () => string | null;
  bus: EventBus;
  logger: Logger;
  /** The room's last clock offset to the hub (modules/clock), written in the open and close entries. */
  clock?: () => EntryClock | null;
}

export interface RecorderStatus {
  state: 'disabled' | 'idle' | 'recording' | 'waiting-for-worker';
  hearing: string | null;
  dir: string | null;
  segments: number;
  bytes: number;
  durationMs: number;
  gaps: number;
  lastSegment: { file: string; end: string; durationMs: number } | null;
  alarm: { reason: string; message: string; since: string } | null;
}

const STOP_WAIT_MS = 10_000;
/** A hearing's recording directory: `<hearing>.<room>`, made safe for a file name (`-r<n>` appended when reused). */
export const recordingDirBase = (hearing: string, room: string) =>
  `${hearing}.${room}`.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '') || 'hearing';

export function createRecorder(deps: RecorderDeps) {
  const log = deps.logger;
  let session: RecordingSession | undefined;
  let workerUp = false;
  let alarm: RecorderStatus['alarm'] = null;
  let stopped: (() => void) | undefined;
  let chain = Promise.resolve(); // hearing opens and closes, in order

  async function sendRecord(): Promise<void> {
    if (!session || !deps.worker) return;
    const { nextIndex } = await listSegments(session.dir); // a new worker continues the numbering
    workerUp = deps.worker.send({
      type: 'record',
      hearing: session.hearing,
      dir: session.dir,
      startIndex: nextIndex,
      segmentSeconds: deps.config.segmentSeconds,
    });
  }

  function onWorker(m: WorkerToDaemon): void {
    if (!session || !('hearing' in m) || m.hearing !== session.hearing) return;
    const r = m as RecordingMessage;
    if (r.type === 'segment-opened') session.opened(r.file, r.start);
    else if (r.type === 'segment-closed') {
      session.closed(r.file, r.start, r.end);
      if (alarm) {
        const { reason } = alarm;
        alarm = null; // before the event: a listener reading status() sees it cleared
        deps.bus.emit('recording', { kind: 'alarm-cleared', hearing: session.hearing, reason });
      }
    } else if (r.type === 'record-error') {
      const reason = /space|ENOSPC|full/i.test(r.message) ? 'disk-full' : 'write-error';
      alarm = { reason, message: `${r.element}: ${r.message}`, since: alarm?.since ?? new Date().toISOString() };
      log.error({ ...alarm, file: r.file }, 'RECORDING FAILED: the stream goes on; retrying');
      deps.bus.emit('recording', { kind: 'alarm', hearing: session.hearing, reason, message: alarm.message });
      session.writeFailed(r.file, reason === 'disk-full');
    } else if (r.type === 'record-stopped') stopped?.();
  }

  async function open(h: HearingEvent['hearing']): Promise<void> {
    // One recording per room: a hearing with several rooms yields one evidence directory per room,
    // "<hearing>.<room>", so the rooms' uploads never collide in the archive.
    const base = recordingDirBase(h.id, deps.room.id);
    let id = base;
    // A hearing id whose manifest is closed (the hub reused it): a fresh directory, never after "close".
    for (
      let n = 2;
      (await readFile(join(deps.recordingsDir, id, 'manifest.jsonl'), 'utf8').catch(() => '')).includes('"kind":"close"');
      n++
    )
      id = `${base}-r${n}`;
    const dir = join(resolve(deps.recordingsDir), id);
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const key = deps.key();
    session = await openSession({
      hearing: id,
      dir,
      bus: deps.bus,
      log: log.child({ hearing: id }),
      manifest: createManifestFile(dir, key, { room: deps.room.id, hearing: id, logger: log }),
      open: {
        kind: 'open',
        room: deps.room.id,
        publicKey: key.publicKeyRaw.toString('base64'),
        start: h.startedAt,
        ...entryClock(deps.clock?.()),
      },
      clock: () => entryClock(deps.clock?.()),
    });
    session.source(deps.onAir() ?? 'slate'); // a worker starts on the slate; a source event ends it
    log.info({ hearing: id, dir, resumed: session.resumed }, 'recording opened');
    deps.bus.emit('recording', { kind: 'open', hearing: id, dir });
    await sendRecord();
  }

  async function close(): Promise<void> {
    const s = session;
    if (!s) return;
    let writerStopped = true;
    if (deps.worker?.send({ type: 'record-stop' })) {
      // The worker's EOS takes ≤ 1.5 s on a quiet box; a starved one is given longer (seen at load 35: not done in
      // 3 s). A worker that goes away meanwhile writes no more either.
      writerStopped = await new Promise<boolean>((r) => {
        const done = (v: boolean) => (clearTimeout(t), deps.worker?.events.off('state', gone), (stopped = undefined), r(v));
        const gone = (state: string) => state !== 'running' && done(true);
        const t = setTimeout(() => done(false), STOP_WAIT_MS);
        stopped = () => done(true);
        deps.worker?.events.on('state', gone);
      });
      if (!writerStopped)
        log.warn(
          { hearing: s.hearing, waitedMs: STOP_WAIT_MS },
          'the worker did not confirm its recording stopped: its open files are entered as copies',
        );
    }
    session = undefined;
    await s.close(Date.now(), { writerStopped });
    log.info({ hearing: s.hearing, segments: s.stats.segments }, 'recording closed');
    deps.bus.emit('recording', { kind: 'close', hearing: s.hearing, dir: s.dir });
  }

  const serial = (f: () => Promise<void>) => (chain = chain.then(f).catch((err) => log.error({ err }, 'recorder: hearing change failed')));
  const onHearing = (e: HearingEvent) => void serial(() => (e.kind === 'ended' ? close() : close().then(() => open(e.hearing))));
  const onState = (s: string) => {
    workerUp = s === 'running';
    if (workerUp) void sendRecord();
  };
  const onMedia = (e: { kind: string; source?: string }) => {
    if (e.kind === 'restart')
      session?.workerRestarted(), session?.source('slate'); // a new worker starts on the slate
    else if (e.kind === 'source' && e.source) session?.source(e.source);
  };

  return {
    /** Before the hearings module starts: it emits the resumed hearing at its start. */
    async start(): Promise<void> {
      if (!deps.config.enabled) return;
      deps.bus.on('hearing', onHearing);
      deps.bus.on('media', onMedia);
      deps.worker?.events.on('message', onWorker);
      deps.worker?.events.on('state', onState);
    },
    async stop(): Promise<void> {
      deps.bus.off('hearing', onHearing);
      deps.bus.off('media', onMedia);
      await chain;
      // The hearing is not over: no close entry. The worker stops with the daemon; the open file is salvaged on resume.
      await session?.idle();
      deps.worker?.events.off('message', onWorker);
      deps.worker?.events.off('state', onState);
      session = undefined;
    },
    status(): RecorderStatus {
      const st = session?.stats;
      return {
        state: !deps.config.enabled ? 'disabled' : !session ? 'idle' : workerUp ? 'recording' : 'waiting-for-worker',
        hearing: session?.hearing ?? null,
        dir: session?.dir ?? null,
        segments: st?.segments ?? 0,
        bytes: st?.bytes ?? 0,
        durationMs: st?.durationMs ?? 0,
        gaps: st?.gaps ?? 0,
        lastSegment: st?.lastSegment ?? null,
        alarm,
      };
    },
    /** Tests: resolves once every queued manifest write is done. */
    idle: async () => (await chain, await session?.idle()),
  };
}
export type Recorder = ReturnType<typeof createRecorder>;
