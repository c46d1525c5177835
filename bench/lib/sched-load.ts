// Bench helpers for the latency tail (issue 15 target 5): a CPU hog, nice applied to every thread of a
// running process (Linux keeps nice per thread; setpriority on a pid moves its main thread only; threads
// made later inherit from their maker), and how long each process's threads waited for a CPU
// (/proc/<pid>/task/<tid>/schedstat, 2nd field: time runnable but not running, ns).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/** `n` × `yes > /dev/null` at nice 0: each wants a whole core, like a busy neighbour process. */
export function startHog(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn('/usr/bin/nice', ['-n', '0', 'yes'], { stdio: ['ignore', 'ignore', 'ignore'] }));
}

export function stopHog(hog: ChildProcess[]): void {
  for (const p of hog) p.kill('SIGKILL');
}

const tids = (pid: number) => {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
};

/** Nice of every thread of each pid (as a unit's Nice= or the daemon's media.workerNice would set at exec). */
export function reniceAll(pids: number[], nice: number): void {
  for (const pid of pids)
    for (const tid of tids(pid)) {
      try {
        setPriority(tid, nice);
      } catch {
        /* thread ended meanwhile */
      }
    }
}

/** Total run-queue wait of a process's live threads, ms. */
export function runDelayMs(pid: number): number {
  let ns = 0;
  for (const tid of tids(pid)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
    } catch {
      /* thread ended meanwhile */
    }
  }
  return ns / 1e6;
}

/** Starts a window; its end() gives each process's run-queue wait per second of wall time (ms/s). */
export function runDelayWindow(pids: Record<string, number>) {
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, runDelayMs(pid)]));
  return () => {
    const s = (performance.now() - t0) / 1000;
    return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, Math.round((runDelayMs(pid) - before[k]!) / s)]));
  };
}
