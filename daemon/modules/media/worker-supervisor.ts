import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import type { Logger } from '../../../common/log.js';
import { spawnOrphanProof } from '../../../common/process/orphan-proof-spawn.js';
import { removePidFile, writePidFile } from '../../../common/process/pid-file.js';
import { createSupervisor, type BuildContext } from '../../../common/supervise/supervisor.js';
import {
  WORKER_LOCK_DIR_ENV,
  WORKER_LOCK_FD_ENV,
  type DaemonToWorker,
  type WorkerSettings,
  type WorkerToDaemon,
} from '../../drivers/media/worker-protocol.js';
import { WORKER_LOCK_FD, type WriterLock } from '../../../common/storage/writer-lock.js';
import { createSilenceJudge } from './worker-silence.js';
import { checkNice } from './worker-nice.js';

// Runs one media worker process and replaces it when it dies or goes quiet (convention: replace,
// not repair). Restarts back off exponentially and never exceed maxRestartsPerMinute (common/supervise). The worker never
// outlives the daemon (kernel parent-death signal + its own watch thread); its pid file lets the next
// daemon kill one that did anyway (see main.ts). It inherits the recordings' writer lock, or records nothing.

export const WORKER_STATES = ['stopped', 'starting', 'running', 'restarting'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

export interface SupervisorOptions {
  entry: string;
  settings: WorkerSettings;
  maxRestartsPerMinute: number;
  logger: Logger;
  /** No stats for this long means hung: kill and restart (unless its main thread is busy: worker-silence.ts). */
  silenceMs?: number;
  /** Silent this long is dead even when busy (default 6 × silenceMs). */
  hardSilenceMs?: number;
  /** The recordings' writer lock, inherited by the worker (without it the worker refuses to record). */
  writerLock?: Pick<WriterLock, 'fd' | 'dir'>;
  /** Where the running worker's pid + start time are kept for the next daemon (killLeftover). */
  pidFile?: string;
  /** media.workerNice: the worker's nice, set at exec (worker-nice.ts); undefined = the daemon's. */
  nice?: number;
}

export interface SupervisorEvents {
  message: [WorkerToDaemon];
  state: [WorkerState];
  restart: [{ restarts: number; reason: string; delayMs: number }];
}

const HEALTHY_AFTER_MS = 30_000; // this long without trouble resets the backoff
const CHECK_EVERY_MS = 500;

export function createWorkerSupervisor(o: SupervisorOptions) {
  const events = new EventEmitter<SupervisorEvents>();
  const silenceMs = o.silenceMs ?? 5000;
  let child: ChildProcess | undefined;
  let state: WorkerState = 'stopped';
  let wanted = false;
  let startedAt = 0;
  let lateSince: number | undefined; // logged once per late spell
  let niceWarned = false; // a refused media.workerNice is said once, not at every restart
  const judge = createSilenceJudge({ silenceMs, hardMs: o.hardSilenceMs ?? 6 * silenceMs, everyMs: CHECK_EVERY_MS });
  let watchdog: NodeJS.Timeout | undefined;
  // The first failure after a healthy spell restarts at once (recording loses no more than it must);
  // repeated failures back off 250 ms, 500 ms, … up to 30 s. Healthy = stats after HEALTHY_AFTER_MS.
  const supervisor = createSupervisor<ChildProcess>({
    immediateFirst: true,
    baseMs: 250,
    maxMs: 30_000,
    maxRestartsPerMinute: o.maxRestartsPerMinute,
    healthyOnBuild: false,
    build: (ctx) => spawnWorker(ctx),
  });
  supervisor.events.on('retry', ({ reason, restarts, delayMs }) => {
    setState('restarting');
    o.logger.warn({ reason, restarts, delayMs }, 'media worker restart');
    events.emit('restart', { restarts, reason, delayMs });
  });

  const setState = (s: WorkerState) => {
    if (s === state) return;
    state = s;
    events.emit('state', s);
  };

  function spawnWorker(ctx: BuildContext): ChildProcess {
    setState(supervisor.stats().restarts ? 'restarting' : 'starting');
    // Each pollBus and appsink pull holds a libuv pool thread: the default 4 would starve.
    const env: NodeJS.ProcessEnv = { ...process.env, UV_THREADPOOL_SIZE: '16' };
    const stdio: (string | number)[] = ['ignore', 'pipe', 'pipe', 'ipc'];
    if (o.writerLock)
      (stdio[WORKER_LOCK_FD] = o.writerLock.fd),
        (env[WORKER_LOCK_FD_ENV] = String(WORKER_LOCK_FD)),
        (env[WORKER_LOCK_DIR_ENV] = o.writerLock.dir);
    const proc = spawnOrphanProof(o.entry, { env, stdio: stdio as never, serialization: 'json', nice: o.nice });
    child = proc;
    if (o.pidFile && proc.pid)
      void writePidFile(o.pidFile, proc.pid, 'media worker').catch((err) => o.logger.warn({ err }, 'worker pid file not written'));
    startedAt = performance.now(); // monotonic: a wall-clock step (NTP, RTC) is no silence
    judge.heard();
    createInterface({ input: proc.stdout! }).on('line', (line) => relayLog(line));
    createInterface({ input: proc.stderr! }).on('line', (line) => o.logger.warn({ pid: proc.pid, stderr: line }, 'media worker stderr'));
    proc.on('message', (msg: WorkerToDaemon) => {
      if (child !== proc) return;
      judge.heard();
      if (lateSince !== undefined)
        o.logger.info({ pid: proc.pid, lateMs: Math.round(performance.now() - lateSince) }, 'media worker talking again');
      lateSince = undefined;
      if (msg.type === 'ready') {
        setState('running');
        if (!niceWarned) niceWarned = checkNice(proc.pid, o.nice, o.logger);
      }
      if (msg.type === 'stats' && performance.now() - startedAt > HEALTHY_AFTER_MS) supervisor.healthy();
      events.emit('message', msg);
    });
    proc.on('error', (err) => o.logger.error({ err: err.message }, 'media worker process error'));
    proc.once('exit', (code, signal) => {
      if (o.pidFile) removePidFile(o.pidFile, proc.pid);
      if (child !== proc) return;
      child = undefined;
      if (wanted) ctx.lost(`worker exited (${signal ?? `code ${code}`})`);
      else setState('stopped');
    });
    proc.send({ type: 'start', ...o.settings } satisfies DaemonToWorker);
    return proc;
  }

  /** The worker logs pino JSON on stdout; re-log through ours so it lands in the same journal stream. */
  function relayLog(line: string): void {
    try {
      const { level, msg, time: _t, pid, name: _n, hostname: _h, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const fn = typeof level === 'number' && level >= 50 ? 'error' : level === 40 ? 'warn' : level === 20 ? 'debug' : 'info';
      o.logger[fn]({ workerPid: pid, ...rest }, `worker: ${String(msg)}`);
    } catch {
      o.logger.info({ line }, 'media worker output');
    }
  }

  function checkSilence(): void {
    if (!child?.pid) return;
    const v = judge.check(child.pid);
    if (v.kind === 'ok') return;
    if (v.kind === 'late') {
      if (lateSince === undefined) {
        lateSince = performance.now() - v.silentMs;
        const busy = Number.isNaN(v.busyShare) ? 'daemon held up' : `main thread busy ${Math.round(v.busyShare * 100)} %`;
        o.logger.warn({ pid: child.pid, silentMs: Math.round(v.silentMs), busy }, 'media worker late (starved box?): waiting');
      }
      return;
    }
    const proc = child;
    o.logger.error({ pid: proc.pid, silentMs: Math.round(v.silentMs) }, 'media worker silent: killing it');
    child = undefined;
    lateSince = undefined;
    proc.kill('SIGKILL');
    supervisor.lost(v.why);
  }

  return {
    events,
    start(): void {
      if (wanted) return;
      wanted = true;
      void supervisor.start();
      watchdog = setInterval(checkSilence, CHECK_EVERY_MS);
    },
    async stop(): Promise<void> {
      wanted = false;
      void supervisor.stop(); // no dispose: the worker is stopped gracefully below
      clearInterval(watchdog);
      const proc = child;
      child = undefined;
      setState('stopped');
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      if (proc.connected) proc.send({ type: 'stop' } satisfies DaemonToWorker);
      const hard = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await gone;
      clearTimeout(hard);
    },
    /** False when no worker is up to take it (the caller answers 503). */
    send(msg: DaemonToWorker): boolean {
      if (!child?.connected || state !== 'running') return false;
      child.send(msg);
      return true;
    },
    get state() {
      return state;
    },
    get pid() {
      return child?.pid ?? null;
    },
    get restarts() {
      return supervisor.stats().restarts;
    },
    get lastRestartReason() {
      return supervisor.stats().lastReason;
    },
  };
}

export type WorkerSupervisor = ReturnType<typeof createWorkerSupervisor>;
