import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseManifest } from '../../../common/evidence/index.js';
import { readReceipts } from './receipt-book.js';
import type { ItemKind, QueueItem } from './upload-queue.js';

// What in `<paths.recordings>` has no valid receipt yet: the startup scan (nothing is forgotten
// after a crash) and the periodic re-check of manifests and books (they change without events).

export const SEGMENT = /^seg-\d+\.(mkv|mp4|webm|ts)$/;
/** A segment file the manifest does not list is taken only once it stopped changing (a crash leftover). */
const ORPHAN_AFTER_MS = 5 * 60_000;

export type Pending = Omit<QueueItem, 'attempts'>;

export async function listHearings(recordings: string): Promise<string[]> {
  const entries = await readdir(recordings, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

async function shaOf(path: string): Promise<{ sha256: string; bytes: number; mtime: Date } | undefined> {
  try {
    const [buf, st] = await Promise.all([readFile(path), stat(path)]);
    return { sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length, mtime: st.mtime };
  } catch {
    return undefined;
  }
}

/** One hearing: segments (manifest order), then book.json, then manifest.jsonl — those not receipted. */
export async function pendingOf(recordings: string, hearing: string, hubKey: Buffer | undefined, docsOnly = false): Promise<Pending[]> {
  const dir = join(recordings, hearing);
  const receipts = await readReceipts(dir, hubKey);
  const out: Pending[] = [];
  const pending = (file: string, kind: ItemKind, bytes: number, since: Date) =>
    out.push({ hearing, file, kind, bytes, since: since.toISOString() });
  const manifest = await shaOf(join(dir, 'manifest.jsonl'));
  if (!docsOnly) {
    const listed = manifest ? parseManifest(await readFile(join(dir, 'manifest.jsonl'), 'utf8').catch(() => '')).entries : [];
    const inManifest = new Map(listed.flatMap((e) => (e.kind === 'segment' ? [[e.file, e] as const] : [])));
    const files = (await readdir(dir).catch(() => [])).filter((f) => SEGMENT.test(f));
    const order = [...inManifest.keys(), ...files.filter((f) => !inManifest.has(f)).sort()];
    for (const file of order) {
      const st = await stat(join(dir, file)).catch(() => undefined);
      if (!st) continue;
      const got = receipts.get(file)?.at(-1);
      const want = inManifest.get(file);
      if (got && got.bytes === st.size && (!want || want.sha256 === got.sha256)) continue;
      if (!want && Date.now() - st.mtimeMs < ORPHAN_AFTER_MS) continue;
      pending(file, 'segment', st.size, st.mtime);
    }
  }
  for (const [file, kind, info] of [
    ['book.json', 'book', await shaOf(join(dir, 'book.json'))],
    ['manifest.jsonl', 'manifest', manifest],
  ] as const) {
    if (!info) continue;
    if (receipts.get(file)?.some((r) => r.sha256 === info.sha256)) continue;
    pending(file, kind, info.bytes, info.mtime);
  }
  return out;
}
