import { Worker } from 'node:worker_threads';

// A child that must never outlive its parent (the media worker holds cameras, RTP ports and the
// recording's writer lock). The IPC 'disconnect' event needs this process's main thread, which can sit
// blocked in native GStreamer code for good; this watch runs on its own thread and ends the whole
// process with SIGKILL as soon as its parent is no longer the one it was started by. The kernel's
// parent-death signal (spawnOrphanProof) is the first line; this covers the moment before it was set,
// and systems without setpriv.

const WATCH = `
const { workerData } = require('node:worker_threads');
const check = () => { if (process.ppid !== workerData.parentPid) process.kill(process.pid, 'SIGKILL'); };
check();
setInterval(check, workerData.intervalMs);
`;

/** Starts the watch thread; `parentPid` is the pid of the process that is meant to be the parent. */
export function watchParent(parentPid: number, intervalMs = 100): Worker {
  if (!Number.isSafeInteger(parentPid) || parentPid <= 1) throw new Error(`watchParent: no parent pid to watch (${parentPid})`);
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGKILL'); // already orphaned before we got here
  const thread = new Worker(WATCH, { eval: true, workerData: { parentPid, intervalMs } });
  thread.unref(); // it must not keep a finished process alive
  return thread;
}
