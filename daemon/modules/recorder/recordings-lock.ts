import { join, resolve } from 'node:path';
import type { Logger } from '../../../common/log.js';
import { killLeftover } from '../../../common/process/pid-file.js';
import { acquireWriterLock, type WriterLock } from '../../../common/storage/writer-lock.js';

// Before the daemon writes any evidence: a media worker a previous daemon left behind (its pid file
// names it exactly: pid + start time) is killed, then the recordings' writer lock is taken. If some
// other process still holds the lock after the wait, the daemon refuses to start and names it
// (systemd restarts it later); two writers never share a recording directory.

export const WORKER_PID_FILE = 'media-worker.pid';

export async function takeRecordingsLock(deps: {
  stateDir: string;
  recordingsDir: string;
  logger: Logger;
  waitMs?: number;
}): Promise<{ lock: WriterLock; workerPidFile: string }> {
  const workerPidFile = join(resolve(deps.stateDir), WORKER_PID_FILE);
  const left = await killLeftover(workerPidFile);
  if (left) deps.logger.warn({ pid: left.pid, what: left.what }, 'killed a media worker left by a previous daemon');
  const lock = await acquireWriterLock(deps.recordingsDir, deps.waitMs);
  deps.logger.info({ lock: lock.path }, 'recordings writer lock held');
  return { lock, workerPidFile };
}
