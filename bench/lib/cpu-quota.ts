// A CPU budget for one process (CFS bandwidth control; root): a stand-in for "one media worker on a core of
// its own" on a box too small to give each worker a whole core and still run the bench's own peers.
// cgroup v2 (Debian 12's default: cpu.max) or v1 (`cpu` controller: cfs_quota_us). Every thread of the
// process moves (cgroup.procs); threads it makes later follow.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let V2 = '/sys/fs/cgroup';
let V1 = '/sys/fs/cgroup/cpu';
const PERIOD_US = 10_000; // short period: a throttled hub waits ≤ 10 ms, not a 100 ms slice (werift's consent timer is 500 ms)

// `ip netns exec` (bench/lib/netns.ts) gives the bench a mount namespace with a fresh /sys and no cgroup mounts:
// mount the cpu hierarchy again, privately (v1 if the cpu controller lives there, else v2).
function mountHierarchy(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cgroup-'));
  try {
    execFileSync('mount', ['-t', 'cgroup', '-o', 'cpu', 'cgroup', dir], { stdio: 'ignore' });
    V1 = dir;
  } catch {
    execFileSync('mount', ['-t', 'cgroup2', 'cgroup2', dir], { stdio: 'ignore' });
    V2 = dir;
  }
  process.once('exit', () => {
    try {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmdirSync(dir);
    } catch {}
  });
}

export interface CpuQuota {
  /** Periods in which the group ran out of its budget, and how long it then waited (s), since it was made. */
  throttled(): { periods: number; seconds: number };
  release(): void;
}

/** A new group with the quota, and where its throttled time is counted (cpu.stat's field and its units a second). */
interface Group {
  dir: string;
  root: string;
  waited: { field: string; perSecond: number };
}

function makeGroup(name: string, cores: number): Group {
  const quota = Math.round(cores * PERIOD_US);
  if (!existsSync(`${V2}/cgroup.controllers`) && !existsSync(`${V1}/cpu.cfs_quota_us`)) mountHierarchy();
  if (existsSync(`${V2}/cgroup.controllers`)) {
    writeFileSync(`${V2}/cgroup.subtree_control`, '+cpu');
    const dir = `${V2}/${name}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/cpu.max`, `${quota} ${PERIOD_US}`);
    return { dir, root: V2, waited: { field: 'throttled_usec', perSecond: 1e6 } };
  }
  if (existsSync(`${V1}/cpu.cfs_quota_us`)) {
    const dir = `${V1}/${name}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/cpu.cfs_period_us`, String(PERIOD_US));
    writeFileSync(`${dir}/cpu.cfs_quota_us`, String(quota));
    return { dir, root: V1, waited: { field: 'throttled_time', perSecond: 1e9 } }; // ns
  }
  throw new Error(`a CPU budget needs cgroup v2 (${V2}/cgroup.controllers) or the v1 cpu controller (${V1})`);
}

export function capCpu(pid: number, cores: number, name: string): CpuQuota {
  const { dir, root, waited } = makeGroup(name, cores);
  writeFileSync(`${dir}/cgroup.procs`, String(pid));
  return {
    throttled() {
      const stat = readFileSync(`${dir}/cpu.stat`, 'utf8');
      const field = (k: string) => Number(new RegExp(`^${k} (\\d+)`, 'm').exec(stat)?.[1] ?? 0);
      return { periods: field('nr_throttled'), seconds: field(waited.field) / waited.perSecond };
    },
    release() {
      // back to the root group (a group with members cannot be removed); a process already gone is fine
      try {
        writeFileSync(`${root}/cgroup.procs`, String(pid));
      } catch {}
      try {
        rmdirSync(dir);
      } catch {}
    },
  };
}
