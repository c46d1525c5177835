// Processes inside a namespace: `ip netns exec NS node …` execs into node, so the child's pid is the
// process itself (kill -9 reaches it). A ChaosProcess (chaos/scenario.ts) over spawnReady.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnReady, type ReadyChild } from '../common/process/spawn-ready.js';
import type { ChaosProcess, ProcName } from './scenario.js';

export interface NsSpawn {
  ns: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** 'pipe': the runner writes to the process (the viewer's `reconnect` line). */
  stdin?: 'pipe';
}

export function spawnInNs<T>(s: NsSpawn): Promise<ReadyChild<T>> {
  return spawnReady<T>('ip', ['netns', 'exec', s.ns, process.execPath, ...s.args], {
    logFile: s.logFile,
    env: s.env ?? process.env,
    timeoutMs: s.timeoutMs ?? 150_000, // start-up took > 60 s at load averages of 50
    stdin: s.stdin,
  });
}

const exited = (c: ReadyChild<unknown>) => c.child.exitCode !== null || c.child.signalCode !== null;

/** A process the runner started: kill and restart on the same arguments; `onRestart` after each restart. */
export async function nsProcess<T>(name: ProcName, s: NsSpawn, onRestart?: (c: ReadyChild<T>) => void | Promise<void>) {
  let current = await spawnInNs<T>(s);
  const p: ChaosProcess & { readonly current: ReadyChild<T>; stop(): Promise<void> } = {
    name,
    logFile: s.logFile,
    get current() {
      return current;
    },
    pid: () => (exited(current) ? undefined : current.child.pid),
    alive: () => !exited(current),
    kill: (signal: NodeJS.Signals = 'SIGKILL') => current.stop(signal, 5000),
    async restart() {
      if (!exited(current)) await current.stop('SIGTERM', 5000);
      current = await spawnInNs<T>(s);
      await onRestart?.(current);
    },
    stop: () => current.stop('SIGTERM', 8000),
  };
  return p;
}

/** Direct children of `pid` whose command line contains `needle` (from /proc). */
export function childrenOf(pid: number, needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      if (Number(stat[1]) !== pid) continue;
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The daemon's media worker (a forked child), as a ChaosProcess: the daemon restarts it, restart() waits for that. */
export function workerProcess(daemon: () => number | undefined, logFile: string, until: (f: () => number | undefined) => Promise<number>) {
  const pid = () => {
    const d = daemon();
    if (d === undefined) return undefined;
    return childrenOf(d, 'media-worker')[0];
  };
  const alivePid = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const p: ChaosProcess = {
    name: 'worker',
    logFile,
    pid,
    alive: () => pid() !== undefined,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const w = pid();
      if (w === undefined) return;
      process.kill(w, signal);
      await until(() => (alivePid(w) ? undefined : w));
    },
    async restart() {
      await until(pid);
    },
  };
  return p;
}

/** Every descendant of `pid` (children, theirs, …), from /proc: what a power cut takes with the process. */
export function descendantsOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const parentOf = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      parentOf.set(
        Number(d),
        Number(
          readFileSync(`/proc/${d}/stat`, 'utf8')
            .replace(/^.*\) /, '')
            .split(' ')[1],
        ),
      );
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, parent] of parentOf) if (parent === p) out.push(c), walk(c);
  };
  walk(pid);
  return out;
}
