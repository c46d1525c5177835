import { readdir, readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseManifest } from '../../../common/evidence/index.js';
import { createFileDigests, type FileDigests } from './file-digest.js';
import { createReceiptCache, type ReceiptCache } from './receipt-cache.js';
import type { ItemKind, QueueItem } from './upload-queue.js';

// What in `<paths.recordings>` has no valid receipt yet: the startup scan (nothing is forgotten
// after a crash) and the periodic re-check of manifests and books (they change without events).
// A growing manifest costs only its new lines per scan (file-digest.ts, issue 12 soak); its segment list
// is kept per hearing and extended from those lines.

export const SEGMENT = /^seg-\d+\.(mkv|mp4|webm|ts)$/;
/** A segment file the manifest does not list is taken only once it stopped changing (a crash leftover). */
const ORPHAN_AFTER_MS = 5 * 60_000;
const RECENT_MS = 15 * 60_000;

export type Pending = Omit<QueueItem, 'attempts'>;
/** What one look at a hearing found. */
export interface Look {
  pending: Pending[];
  /** Segments receipted for exactly their size (and the manifest's sha256): file → size. */
  settled: Map<string, number>;
  /** Unlisted segment files still too young to take: the hearing is not done although nothing is pending. */
  deferred: number;
}

export async function listHearings(recordings: string): Promise<string[]> {
  const entries = await readdir(recordings, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** book.json: small, rewritten whole by the book module. */
async function shaOf(path: string): Promise<{ sha256: string; bytes: number; mtime: Date } | undefined> {
  try {
    const [buf, st] = await Promise.all([readFile(path), stat(path)]);
    return { sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length, mtime: st.mtime };
  } catch {
    return undefined;
  }
}

export function createScanner(caches: { digests?: FileDigests; receipts?: ReceiptCache } = {}) {
  const digests = caches.digests ?? createFileDigests();
  const receiptCache = caches.receipts ?? createReceiptCache();
  /** Per manifest: the segment entries (file → sha256) of its first `bytes` bytes; only live ones are kept. */
  const listed = new Map<string, { bytes: number; segments: Map<string, string> }>();

  async function manifestOf(path: string) {
    const known = listed.get(path);
    let d = await digests.digest(path, known?.bytes ?? 0);
    if (!d) return (listed.delete(path), undefined);
    let segments = known?.segments;
    if (!segments || d.fresh || d.bytes < known!.bytes) {
      if (known && d.fresh) d = (await digests.digest(path, 0)) ?? d; // not an append: the whole list again
      segments = new Map();
    }
    for (const e of parseManifest(d.tail.toString('utf8')).entries) if (e.kind === 'segment') segments.set(e.file, e.sha256);
    // Kept while the hearing is written to (recent); an old hearing's list is read again (no memory per hearing kept).
    if (Date.now() - d.mtime.getTime() < RECENT_MS) listed.set(path, { bytes: d.bytes, segments });
    else listed.delete(path);
    return { ...d, segments };
  }

  /** Segment files stat'ed (tests, bench: what a rescan costs). */
  const stats = { segmentStats: 0 };

  /**
   * One hearing: segments (manifest order), then book.json, then manifest.jsonl — those not receipted.
   * `settled` (rescan.ts, only while the directory is unchanged): segments found receipted for their size
   * last time, taken without a stat — the receipt and the manifest are still checked.
   */
  async function lookAt(
    recordings: string,
    hearing: string,
    hubKey: Buffer | undefined,
    opts: { docsOnly?: boolean; settled?: ReadonlyMap<string, number> } = {},
  ): Promise<Look> {
    const dir = join(recordings, hearing);
    const receipts = await receiptCache.read(dir, hubKey);
    const look: Look = { pending: [], settled: new Map(), deferred: 0 };
    const pending = (file: string, kind: ItemKind, bytes: number, since: Date) =>
      look.pending.push({ hearing, file, kind, bytes, since: since.toISOString() });
    const manifest = await manifestOf(join(dir, 'manifest.jsonl'));
    if (!opts.docsOnly) {
      const inManifest = manifest?.segments ?? new Map<string, string>();
      const files = (await readdir(dir).catch(() => [])).filter((f) => SEGMENT.test(f));
      const order = [...inManifest.keys(), ...files.filter((f) => !inManifest.has(f)).sort()];
      for (const file of order) {
        const got = receipts.get(file)?.at(-1);
        const want = inManifest.get(file);
        const matches = (size: number) => got && got.bytes === size && (!want || want === got.sha256);
        const known = opts.settled?.get(file);
        if (known !== undefined && matches(known)) {
          look.settled.set(file, known);
          continue;
        }
        stats.segmentStats++;
        const st = await stat(join(dir, file)).catch(() => undefined);
        if (!st) continue;
        if (matches(st.size)) {
          look.settled.set(file, st.size);
          continue;
        }
        if (!want && Date.now() - st.mtimeMs < ORPHAN_AFTER_MS) {
          look.deferred++;
          continue;
        }
        pending(file, 'segment', st.size, st.mtime);
      }
    }
    for (const [file, kind, info] of [
      ['book.json', 'book', await shaOf(join(dir, 'book.json'))],
      ['manifest.jsonl', 'manifest', manifest && manifest.bytes > 0 ? manifest : undefined],
    ] as const) {
      if (!info) continue;
      if (receipts.get(file)?.some((r) => r.sha256 === info.sha256)) continue;
      pending(file, kind, info.bytes, info.mtime);
    }
    return look;
  }
  const pendingOf = async (recordings: string, hearing: string, hubKey: Buffer | undefined, docsOnly = false) =>
    (await lookAt(recordings, hearing, hubKey, { docsOnly })).pending;

  return { lookAt, pendingOf, digests, receipts: receiptCache, stats };
}
export type Scanner = ReturnType<typeof createScanner>;
