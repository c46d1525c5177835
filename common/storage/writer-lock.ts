import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { flockSync } from 'fs-ext';
import { AppError } from '../errors.js';

// One writer per recordings directory, enforced by the kernel: an exclusive flock(2) on
// `<recordings>/.writer.lock`, taken by the daemon before its first byte of evidence and held for its
// whole life. The media worker inherits the same open file (stdio fd), so the lock lives as long as
// either of them: a new daemon cannot record while a worker of the old one still runs. The kernel
// drops it when the last holder dies, whatever kills it (no stale lock files to judge).

export const WRITER_LOCK_FILE = '.writer.lock';
/** The fd number the media worker finds the inherited lock on (stdio index). */
export const WORKER_LOCK_FD = 4;

export interface WriterLock {
  readonly fd: number;
  readonly path: string;
  /** The recordings directory it guards (every hearing directory under it). */
  readonly dir: string;
  /** True while this open file holds the lock (a no-op re-lock on our own lock). */
  held(): boolean;
  release(): void;
}

export class WriterLockHeldError extends AppError {
  constructor(path: string, holders: string[]) {
    super(
      `${path}: another recorder holds the writer lock (${holders.join('; ') || 'holder not visible'}); refusing to record into the same directories`,
      409,
      'WRITER_LOCK_HELD',
    );
  }
}

const tryLock = (fd: number) => {
  try {
    flockSync(fd, 'exnb');
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN' || (err as NodeJS.ErrnoException).code === 'EWOULDBLOCK') return false;
    throw err;
  }
};

/** Wraps an already-open, already-locked fd (the worker's inherited one). */
export function writerLockOn(fd: number, dir: string): WriterLock {
  return { fd, dir, path: join(dir, WRITER_LOCK_FILE), held: () => tryLock(fd), release: () => closeSync(fd) };
}

/** Takes the lock, waiting up to `waitMs` for a previous holder to die; then throws naming the holders. */
export async function acquireWriterLock(recordingsDir: string, waitMs = 10_000): Promise<WriterLock> {
  mkdirSync(resolve(recordingsDir), { recursive: true, mode: 0o750 });
  const path = join(resolve(recordingsDir), WRITER_LOCK_FILE);
  const fd = openSync(path, 'a+', 0o600);
  for (const t0 = Date.now(); !tryLock(fd); await delay(50)) {
    if (Date.now() - t0 >= waitMs) {
      closeSync(fd);
      throw new WriterLockHeldError(path, lockHolders(path));
    }
  }
  ftruncateSync(fd, 0);
  writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }) + '\n');
  return writerLockOn(fd, resolve(recordingsDir));
}

/** Every process with the lock file open ("pid 123 node …/media-worker.js"): the kernel's own answer. */
export function lockHolders(path: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const fds = readdirSync(`/proc/${pid}/fd`);
      if (!fds.some((fd) => safeReadlink(`/proc/${pid}/fd/${fd}`) === path)) continue;
      found.push(`pid ${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 160)}`);
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}

function safeReadlink(p: string): string | null {
  try {
    return readlinkSync(p);
  } catch {
    return null;
  }
}
