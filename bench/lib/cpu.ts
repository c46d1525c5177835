import { readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // Linux USER_HZ

/** utime + stime of a process and its reaped children, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // after "pid (comm) ": state is field 0, utime 11, stime 12, cutime 13, cstime 14
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_S;
}

/** Share of one core each process used over `ms`, sampled together so they see the same load. */
export async function cpuShare(pids: Record<string, number>, ms: number): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const wall = (performance.now() - t0) / 1000;
  return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, Number((((cpuSeconds(pid) - before[k]) / wall) * 100).toFixed(1))]));
}

export function rssMb(pid: number): number {
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);
}
