import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Sampling a process tree from /proc (Linux): resident memory (VmRSS), open file descriptors (entries of
// /proc/PID/fd) and threads, for a process and each of its descendants. `procRoot` is there for tests.

export interface ProcSample {
  pid: number;
  ppid: number;
  /** The kernel's short name (/proc/PID/comm, at most 15 characters). */
  comm: string;
  /** argv joined by spaces (/proc/PID/cmdline). */
  cmdline: string;
  rssKb: number;
  fds: number;
  threads: number;
}

/** `VmRSS:     12345 kB` → 12345; a zombie or kernel thread has no VmRSS line → 0. */
export function parseStatus(text: string): { rssKb: number; threads: number; ppid: number } {
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { rssKb: field('VmRSS'), threads: field('Threads'), ppid: field('PPid') };
}

/**
 * The parent pid from /proc/PID/stat. The second field (comm, in parentheses) may itself hold spaces and
 * parentheses, so the fields are read after the LAST ')': state, then ppid.
 */
export function parseStatPpid(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[1]);
}

/** One process now, or null if it is gone (or went while being read). */
export function sampleProcess(pid: number, procRoot = '/proc'): ProcSample | null {
  const dir = join(procRoot, String(pid));
  try {
    const status = parseStatus(readFileSync(join(dir, 'status'), 'utf8'));
    const comm = readFileSync(join(dir, 'comm'), 'utf8').trim();
    const cmdline = readFileSync(join(dir, 'cmdline'), 'utf8').split('\0').filter(Boolean).join(' ');
    const fds = readdirSync(join(dir, 'fd')).length;
    return { pid, ppid: status.ppid, comm, cmdline, rssKb: status.rssKb, fds, threads: status.threads };
  } catch {
    return null;
  }
}

/** Every live pid's parent, read once (one pass over /proc). */
export function parentMap(procRoot = '/proc'): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      parents.set(Number(name), parseStatPpid(readFileSync(join(procRoot, name, 'stat'), 'utf8')));
    } catch {
      // gone meanwhile
    }
  }
  return parents;
}

/** The pids below `root` (children, grandchildren…), breadth first; `root` itself not included. */
export function descendants(root: number, parents: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * A process and its descendants, each with a role name: the root's own `name`, a descendant
 * `name/<what it runs>` — `roleOf` picks that (e.g. the daemon's media worker), else its comm.
 */
export function sampleTree(
  name: string,
  root: number,
  roleOf: (p: ProcSample) => string | undefined = () => undefined,
  procRoot = '/proc',
): (ProcSample & { role: string })[] {
  const parents = parentMap(procRoot);
  const out: (ProcSample & { role: string })[] = [];
  const own = sampleProcess(root, procRoot);
  if (own) out.push({ ...own, role: name });
  for (const pid of descendants(root, parents)) {
    const s = sampleProcess(pid, procRoot);
    if (s) out.push({ ...s, role: roleOf(s) ?? `${name}/${s.comm}` });
  }
  return out;
}
