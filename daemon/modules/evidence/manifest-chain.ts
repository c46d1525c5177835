import { open, stat } from 'node:fs/promises';
import { emptySegmentHistory, rememberSegment, type SegmentHistory } from '../../../common/evidence/segment-rules.js';
import type { Logger } from '../../../common/log.js';
import type { ManifestEntry } from '../../../common/evidence/index.js';

// What an append needs of a manifest (its last entry, the segments entered so far), read incrementally: a
// hearing of an hour has ~1 800 segment entries, and reading and parsing the whole file on every 2-second
// append cost ~1 MB of reading and ~1 800 JSON.parse per append — garbage the daemon's heap grew into during
// a soak. What was read is kept per file with its inode and size; an append reads only the bytes after it.
// A file that shrank or was replaced (another inode) is read whole again, so the chain is always extended
// from the last line on disk (the writer lock keeps other processes out; this only guards against surprises).

export interface Chain {
  last: ManifestEntry | null;
  segments: SegmentHistory;
}

interface Known extends Chain {
  ino: number;
  size: number;
}

const known = new Map<string, Known>();
const KEEP = 16; // files remembered (one per hearing in progress; the oldest forgotten first)

/** Reads the chain (last entry, segments so far); a torn final line (crash mid-write, never fsynced) is cut off. */
export async function readChain(path: string, logger?: Logger): Promise<Chain> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (!st) return (forget(path), { last: null, segments: emptySegmentHistory() });
  const was = known.get(path);
  const from =
    was && was.ino === st.ino && was.size <= st.size ? was : { ino: st.ino, size: 0, last: null, segments: emptySegmentHistory() };
  if (from.size === st.size) return from;
  const fh = await open(path, 'r+');
  try {
    const bytes = Buffer.alloc(st.size - from.size);
    const { bytesRead } = await fh.read(bytes, 0, bytes.length, from.size);
    let text = bytes.subarray(0, bytesRead).toString('utf8');
    let size = from.size + bytesRead;
    if (!text.endsWith('\n')) {
      const cut = text.lastIndexOf('\n') + 1;
      logger?.error({ path, bytes: text.length - cut }, 'manifest ends with a torn line; cutting it off before appending');
      size = from.size + Buffer.byteLength(text.slice(0, cut), 'utf8');
      await fh.truncate(size);
      text = text.slice(0, cut);
    }
    const chain: Known = { ino: st.ino, size, last: from.last, segments: from.segments };
    for (const line of text.split('\n').slice(0, -1)) {
      try {
        chain.last = JSON.parse(line) as ManifestEntry;
      } catch {
        chain.last = null;
        continue; // only the last line must parse: the chain is extended from it
      }
      if (chain.last.kind === 'segment') rememberSegment(chain.segments, chain.last);
    }
    if (size > 0 && !chain.last) throw new Error(`${path}: last line is not JSON; refusing to extend a damaged chain`);
    remember(path, chain);
    return chain;
  } finally {
    await fh.close();
  }
}

/** After an append of `bytes` that ends with `entry` (the caller holds the file's queue): no re-read needed. */
export function appended(path: string, bytes: number, entry: ManifestEntry): void {
  const was = known.get(path);
  if (!was) return;
  if (entry.kind === 'close') return forget(path);
  was.size += bytes;
  was.last = entry;
  if (entry.kind === 'segment') rememberSegment(was.segments, entry);
}

/** Forgets what was read of `path` (after an append whose outcome on disk is unknown). */
export function forget(path: string): void {
  known.delete(path);
}

function remember(path: string, chain: Known) {
  known.delete(path);
  known.set(path, chain);
  if (known.size > KEEP) known.delete(known.keys().next().value as string);
}
