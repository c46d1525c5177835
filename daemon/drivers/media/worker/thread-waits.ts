import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import type { WaitReading } from './liveness-judge.js';

// This process's run-queue wait per thread (/proc/self/task/<tid>/schedstat: ns on a CPU, ns waiting on a
// run queue, timeslices), for the liveness judge. Cheap enough to read on a tick: each file stays open and
// is re-read at offset 0 (~10 µs a thread; a fresh open + read was ~200 µs, a readdir of ~50 threads ~2 ms,
// measured on the 2-core CI box), and the thread list is refreshed at most once a second. Read only while a
// camera is quiet: the first tick without a read closes every file again (the worker's fd count stays what its
// pipelines hold: worker-fds.test.ts, the soak's fd slope). Not Linux: undefined, the tick gap alone excuses.

const TASKS = '/proc/self/task';
const RELIST_MS = 1000;

export function createThreadWaits(tasks = TASKS) {
  const fds = new Map<number, number>();
  const buf = Buffer.alloc(96);
  let listedAt = Number.NEGATIVE_INFINITY;
  let broken = false;
  let last: { at: number; reading: WaitReading | undefined } | undefined;
  let readThisTick = false;

  function drop(tid: number): void {
    const fd = fds.get(tid);
    fds.delete(tid);
    if (fd !== undefined) closeSync(fd);
  }

  function relist(now: number): void {
    listedAt = now;
    const tids = new Set(readdirSync(tasks).map(Number));
    for (const tid of fds.keys()) if (!tids.has(tid)) drop(tid);
    for (const tid of tids)
      if (!fds.has(tid))
        try {
          fds.set(tid, openSync(`${tasks}/${tid}/schedstat`, 'r'));
        } catch {
          // the thread ended between the listing and the open
        }
  }

  /** tid → ns waited; one reading per `now` (both cameras' checks on one tick share it). */
  function read(now = performance.now()): WaitReading | undefined {
    if (broken) return undefined;
    if (last && now - last.at < 5) return last.reading;
    readThisTick = true;
    const reading = new Map<number, number>();
    try {
      if (now - listedAt >= RELIST_MS) relist(now);
      for (const [tid, fd] of fds) {
        let n: number;
        try {
          n = readSync(fd, buf, 0, buf.length, 0);
        } catch {
          drop(tid); // ESRCH: the thread is gone
          continue;
        }
        const wait = Number(buf.toString('latin1', 0, n).split(' ')[1]);
        if (Number.isFinite(wait)) reading.set(tid, wait);
      }
    } catch {
      broken = true; // no /proc here
      close();
      return undefined;
    }
    last = { at: now, reading: reading.size ? reading : undefined };
    return last.reading;
  }

  function close(): void {
    for (const tid of [...fds.keys()]) drop(tid);
    listedAt = Number.NEGATIVE_INFINITY;
    last = undefined;
  }
  /** After each tick's checks: a tick where no camera was quiet closes the files. */
  function endTick(): void {
    if (!readThisTick && fds.size) close();
    readThisTick = false;
  }
  return { read, endTick, close };
}

export type ThreadWaits = ReturnType<typeof createThreadWaits>;
