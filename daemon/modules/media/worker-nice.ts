import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import type { Logger } from '../../../common/log.js';

// media.workerNice: the worker (camera in, RTP out, recording) runs ahead of the daemon's bulk work
// (uploads, retention) and of anything else on the box, so a busy CPU delays its frames less
// (docs/PERFORMANCE.md, latency tail). A raise below the daemon's nice needs CAP_SYS_NICE or
// RLIMIT_NICE (the unit's LimitNICE=-10); without them the worker runs at the daemon's nice, logged.

/** The nice of every thread of `pid` (Linux keeps one per thread); [] when it is gone. */
export function threadNices(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => getPriority(Number(tid)));
  } catch {
    return [];
  }
}

/** Warns when the worker does not run at the configured nice (the raise was refused); true if it did. */
export function checkNice(pid: number | undefined, wanted: number | undefined, logger: Logger): boolean {
  if (wanted === undefined || !pid) return false;
  let got: number;
  try {
    got = getPriority(pid);
  } catch {
    return false; // already gone: its exit is handled elsewhere
  }
  if (got === wanted) return false;
  logger.warn(
    { pid, wanted, got },
    `media.workerNice ${wanted} not applied (worker at nice ${got}): the daemon needs LimitNICE=${wanted} (systemd unit) or CAP_SYS_NICE`,
  );
  return true;
}
