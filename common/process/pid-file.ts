import { readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

// A pid file that names one process exactly: pid + the kernel's start time of that pid
// (/proc/<pid>/stat field 22), so a recycled pid is never mistaken for the process we left behind.

export interface PidRecord {
  pid: number;
  startTicks: number;
  /** What it is, for the log ("media worker"). */
  what: string;
}

/** Start time of a live pid in clock ticks since boot; null when there is no such process (or a zombie). */
export function startTicksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on: "(comm)" may hold spaces
    return fields[0] === 'Z' || fields[0] === 'X' ? null : Number(fields[19]);
  } catch {
    return null;
  }
}

export async function writePidFile(path: string, pid: number, what: string): Promise<void> {
  const startTicks = startTicksOf(pid);
  if (startTicks === null) return; // already gone
  await writeFile(path, JSON.stringify({ pid, startTicks, what } satisfies PidRecord) + '\n', { mode: 0o600 });
}

/** Removes the pid file; with `pid`, only when it still names that pid (a successor may have written it). */
export function removePidFile(path: string, pid?: number): void {
  try {
    if (pid === undefined || (JSON.parse(readFileSync(path, 'utf8')) as PidRecord).pid === pid) rmSync(path, { force: true });
  } catch {
    // no file, or not ours
  }
}

/**
 * Kills the process a previous run left behind (SIGKILL), if the pid file names a process that is still
 * the same one, and waits until it is gone. Returns what was killed, or null.
 */
export async function killLeftover(path: string, waitMs = 5000): Promise<PidRecord | null> {
  let rec: PidRecord;
  try {
    rec = JSON.parse(await readFile(path, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
  if (!(rec.pid > 1) || startTicksOf(rec.pid) !== rec.startTicks) return (removePidFile(path), null);
  try {
    process.kill(rec.pid, 'SIGKILL');
  } catch {
    // it ended on its own in between
  }
  for (const t0 = Date.now(); startTicksOf(rec.pid) === rec.startTicks && Date.now() - t0 < waitMs; ) await delay(20);
  removePidFile(path);
  return rec;
}
