import { createHash, type Hash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

// SHA-256 of a growing, append-only line file (manifest.jsonl) at a cost proportional to what was appended
// (issue 12 soak: hashing the whole manifest every 10 s made the daemon's heap and CPU grow with the hearing).
// Up to its last complete line (a torn last line is not evidence yet). The state per file: the hash of the
// bytes seen so far, kept open (Hash.copy() for each digest), and the last WINDOW bytes before that point.
// Reused only when the file is the same inode, not shorter, and those WINDOW bytes are unchanged; anything
// else — or `forget()` (a hearing's close, a hub that disagreed) — hashes the whole file again.

const WINDOW = 4096;
/** Files whose hash state is kept: those written to lately, the most recently used first. */
const MAX_FILES = 16;
const RECENT_MS = 15 * 60_000;
/** Every file's last answer by (inode, size, mtime): an old hearing's manifest is not read again each rescan. */
const MAX_SEEN = 4096;

export interface Digest {
  sha256: string;
  /** Bytes hashed: the file up to its last complete line. */
  bytes: number;
  mtime: Date;
  /** The file's bytes [from, bytes) when `from` was asked for (what goes to the hub). */
  tail: Buffer;
  /** Hashed from its first byte this time (no earlier state, or the earlier one no longer held). */
  fresh: boolean;
}

type Seen = Pick<State, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'mtime' | 'bytes' | 'sha256'>;

interface State {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  mtime: Date;
  bytes: number;
  hash: Hash;
  sha256: string;
  window: Buffer;
}

export function createFileDigests() {
  const states = new Map<string, State>();
  const seen = new Map<string, Seen>();
  /** What it cost: bytes read from disk, bytes fed to SHA-256, whole-file hashes (tests, bench). */
  const stats = { bytesRead: 0, bytesHashed: 0, fullHashes: 0 };

  /** One digest of a file at a time: the rescan and the upload loop must not feed one Hash the same bytes twice. */
  const busy = new Map<string, Promise<unknown>>();
  function digest(path: string, from?: number): Promise<Digest | undefined> {
    const run = (busy.get(path) ?? Promise.resolve()).then(
      () => digestNow(path, from),
      () => digestNow(path, from),
    );
    busy.set(path, run);
    void run.then(
      () => busy.get(path) === run && busy.delete(path),
      () => busy.get(path) === run && busy.delete(path),
    );
    return run;
  }

  async function digestNow(path: string, from?: number): Promise<Digest | undefined> {
    const st = await stat(path).catch(() => undefined);
    if (!st) return undefined;
    let s = states.get(path);
    // Not an append: another file, shorter than what was hashed, or changed without growing (rewritten in place).
    if (s && (s.dev !== st.dev || s.ino !== st.ino || st.size < s.bytes || (st.size <= s.size && st.mtimeMs !== s.mtimeMs))) s = undefined;
    const want = from === undefined ? undefined : Math.max(0, from);
    const same = s ?? seen.get(path);
    if (
      same &&
      same.dev === st.dev &&
      same.ino === st.ino &&
      st.size === same.size &&
      st.mtimeMs === same.mtimeMs &&
      (want ?? Infinity) >= same.bytes
    ) {
      if (s) touch(path, s); // unchanged since the last look: nothing read
      return { sha256: same.sha256, bytes: same.bytes, mtime: same.mtime, tail: Buffer.alloc(0), fresh: false };
    }
    const windowAt = s ? s.bytes - s.window.length : 0;
    const readAt = Math.min(windowAt, want ?? windowAt);
    const buf = await readRange(path, readAt);
    if (!buf) return undefined;
    if (s && !buf.subarray(windowAt - readAt, s.bytes - readAt).equals(s.window)) {
      forget(path); // the bytes already hashed changed: not an append
      return digestNow(path, from);
    }
    const hashedTo = s?.bytes ?? 0;
    const end = readAt + buf.lastIndexOf(0x0a) + 1;
    const bytes = Math.max(hashedTo, end);
    const hash = s?.hash ?? createHash('sha256');
    if (!s) stats.fullHashes++;
    hash.update(buf.subarray(hashedTo - readAt, bytes - readAt));
    stats.bytesHashed += bytes - hashedTo;
    const next: State = {
      dev: st.dev,
      ino: st.ino,
      size: readAt + buf.length,
      mtimeMs: st.mtimeMs,
      mtime: st.mtime,
      bytes,
      hash,
      sha256: hash.copy().digest('hex'),
      window: Buffer.from(buf.subarray(Math.max(0, bytes - readAt - WINDOW), bytes - readAt)), // a copy: the read buffer is let go
    };
    if (s || Date.now() - st.mtimeMs < RECENT_MS) touch(path, next);
    const { hash: _h, window: _w, ...memo } = next;
    seen.delete(path);
    seen.set(path, memo);
    if (seen.size > MAX_SEEN) seen.delete(seen.keys().next().value!);
    const tail = want === undefined || want >= bytes ? Buffer.alloc(0) : Buffer.from(buf.subarray(want - readAt, bytes - readAt));
    return { sha256: next.sha256, bytes, mtime: st.mtime, tail, fresh: !s };
  }

  function touch(path: string, s: State) {
    states.delete(path); // Map order = least recently used first
    states.set(path, s);
    for (const old of states.keys()) {
      if (states.size <= MAX_FILES) break;
      states.delete(old);
    }
  }

  /** From `at` to the end of the file as it is now (one read: a snapshot while the recorder appends). */
  async function readRange(path: string, at: number): Promise<Buffer | undefined> {
    const fh = await open(path, 'r').catch(() => undefined);
    if (!fh) return undefined;
    try {
      const { size } = await fh.stat();
      const buf = Buffer.alloc(Math.max(0, size - at));
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, at + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      stats.bytesRead += got;
      return buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  /** The next digest of `path` hashes it whole (a hearing's last manifest, a hub that disagreed). */
  const forget = (path: string) => void (states.delete(path), seen.delete(path));
  return { digest, forget, stats };
}
export type FileDigests = ReturnType<typeof createFileDigests>;
