import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyReceipt, type Receipt } from '../../../common/evidence/index.js';
import { RECEIPTS } from './receipt-book.js';

// readReceipts (receipt-book.ts) at a cost proportional to what was appended: the uploader's rescan and the
// retention sweep both read every hearing's receipts.jsonl each minute, and a live hearing's grows by a
// receipt per segment and per manifest upload (issue 12 soak). receipts.jsonl is append-only: an unchanged
// file (inode, size, mtime) is not read, a grown one only from where the last read stopped; a shorter or
// replaced file, or changed bytes just before that point, is read whole again. Each line is a receipt
// signed by the hub, so one read earlier stays valid evidence. Only hearings written to lately are kept (a
// few): the old ones are read as before, so memory does not grow with the archive kept on the box.

const RECENT_MS = 15 * 60_000;
const MAX_DIRS = 8;
const WINDOW = 256;

interface Entry {
  key: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  parsed: number;
  window: Buffer;
  receipts: Map<string, Receipt[]>;
}

export function createReceiptCache(now: () => number = Date.now) {
  const dirs = new Map<string, Entry>();
  /** Bytes of receipts.jsonl read, lines verified (tests, bench). */
  const stats = { bytesRead: 0, linesVerified: 0 };

  /** One read of a directory at a time: two would both add the same new lines. */
  const busy = new Map<string, Promise<unknown>>();
  /** Valid receipts of one hearing directory, newest last per file (do not modify the answer). */
  function read(hearingDir: string, key: Buffer | undefined): Promise<ReadonlyMap<string, readonly Receipt[]>> {
    const run = (busy.get(hearingDir) ?? Promise.resolve()).then(
      () => readNow(hearingDir, key),
      () => readNow(hearingDir, key),
    );
    busy.set(hearingDir, run);
    void run.then(
      () => busy.get(hearingDir) === run && busy.delete(hearingDir),
      () => busy.get(hearingDir) === run && busy.delete(hearingDir),
    );
    return run;
  }

  async function readNow(hearingDir: string, key: Buffer | undefined): Promise<ReadonlyMap<string, readonly Receipt[]>> {
    if (!key) return new Map();
    const path = join(hearingDir, RECEIPTS);
    const st = await stat(path).catch(() => undefined);
    if (!st) return (dirs.delete(hearingDir), new Map());
    const k = key.toString('base64');
    let e = dirs.get(hearingDir);
    const rewritten = e && (st.size < e.parsed || (st.size <= e.size && st.mtimeMs !== e.mtimeMs)); // not an append
    if (e && (e.key !== k || e.dev !== st.dev || e.ino !== st.ino || rewritten)) e = undefined;
    if (e && e.size === st.size && e.mtimeMs === st.mtimeMs) return keep(hearingDir, e);
    const from = e ? e.parsed - e.window.length : 0;
    const buf = await readFrom(path, from);
    if (e && !buf.subarray(0, e.window.length).equals(e.window)) return (dirs.delete(hearingDir), readNow(hearingDir, key));
    const skip = e ? e.window.length : 0;
    const end = buf.lastIndexOf(0x0a) + 1; // a torn last line is read again once whole
    const receipts = e?.receipts ?? new Map<string, Receipt[]>();
    for (const line of buf.subarray(skip, Math.max(skip, end)).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      stats.linesVerified++;
      try {
        const r = JSON.parse(line) as Receipt;
        if (!verifyReceipt(r, key)) continue;
        receipts.set(r.file, [...(receipts.get(r.file) ?? []), r]);
      } catch {
        /* a junk line: skipped, as readReceipts does */
      }
    }
    const parsed = Math.max(e?.parsed ?? 0, from + end);
    const next: Entry = {
      key: k,
      dev: st.dev,
      ino: st.ino,
      size: from + buf.length,
      mtimeMs: st.mtimeMs,
      parsed,
      window: Buffer.from(buf.subarray(Math.max(0, parsed - from - WINDOW), parsed - from)),
      receipts,
    };
    if (e || now() - st.mtimeMs < RECENT_MS) keep(hearingDir, next);
    return receipts;
  }

  function keep(dir: string, e: Entry) {
    dirs.delete(dir); // least recently used first
    dirs.set(dir, e);
    for (const old of dirs.keys()) {
      if (dirs.size <= MAX_DIRS) break;
      dirs.delete(old);
    }
    return e.receipts;
  }

  async function readFrom(path: string, at: number): Promise<Buffer> {
    const fh = await open(path, 'r').catch(() => undefined);
    if (!fh) return Buffer.alloc(0); // gone meanwhile: no receipts
    try {
      const { size } = await fh.stat();
      const buf = Buffer.alloc(Math.max(0, size - at));
      const { bytesRead } = buf.length ? await fh.read(buf, 0, buf.length, at) : { bytesRead: 0 };
      stats.bytesRead += bytesRead;
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  return { read, stats };
}
export type ReceiptCache = ReturnType<typeof createReceiptCache>;
