import { createHash } from 'node:crypto';
import type { Receipt } from '../../common/evidence/index.js';
import type { ArchiveStore } from './archive-store.js';

// Per-hearing bookkeeping, stored beside the files as `.index.json` (through the store, so an S3
// backend keeps it too): which room owns the hearing, what each received file hashed to and the
// receipt given for it, and what each upload in progress declared. One writer per hearing at a time.

export interface ReceivedFile {
  sha256: string;
  bytes: number;
  receivedAt: string;
  receipt: Receipt;
}

export interface HearingIndex {
  v: 1;
  hearing: string;
  /** The room that uploaded first; only it may add to the hearing. */
  room: string;
  createdAt: string;
  files: Record<string, ReceivedFile>;
  /** Uploads in progress: what the first PATCH declared. */
  uploads: Record<string, { length: number; sha256: string; startedAt: string }>;
}

/** One line of the archive's listing, from the index alone (no manifest read). */
export interface IndexSummary {
  hearing: string;
  room: string;
  createdAt: string;
  files: number;
  bytes: number;
  /** +1 on every save, where the backend counts (PostgreSQL: another node may have written). */
  version?: number;
  /** Changes with every save of the index (PostgreSQL: version, files, bytes; files: SHA-256 of .index.json). */
  stamp: string;
  /** The kept listing line, when `list(true)` asked for it. */
  line?: StoredLine;
}

/** A hearing's listing line kept with its index, stamped with what it was computed from (hearing-index-listing.ts). */
export interface StoredLine {
  /** The line's format: a line of another format is recomputed. */
  v: string;
  /** The index's `stamp` it was computed from. */
  of: string;
  /** The room whose enrolled keys verification consulted ('' none) and the registry's stamp for it then. */
  keyRoom: string;
  registry: string;
  line: unknown;
}

/** Where the indexes live: beside the files (this file) or in PostgreSQL (hearing-index-pg.ts). */
export interface Indexes {
  load(hearing: string): Promise<HearingIndex | undefined>;
  save(index: HearingIndex): Promise<void>;
  /** Runs `fn` with the hearing's writes serialized (read-modify-write of the index). */
  locked<T>(hearing: string, fn: () => Promise<T>): Promise<T>;
  fresh(hearing: string, room: string): HearingIndex;
  /** Every indexed hearing, newest first; `withLines`: each with its kept listing line (a cold start's one read). */
  list(withLines?: boolean): Promise<IndexSummary[]>;
  /** The listing lines kept for these hearings (none kept: absent). */
  loadLines(hearings: string[]): Promise<Map<string, StoredLine>>;
  /** Keeps these lines (PostgreSQL: only where the index is still the one `of` names). */
  saveLines(lines: { hearing: string; stored: StoredLine }[]): Promise<void>;
}

const INDEX = '.index.json';
const LINE = '.listing.json';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export const freshIndex = (hearing: string, room: string): HearingIndex => ({
  v: 1,
  hearing,
  room,
  createdAt: new Date().toISOString(),
  files: {},
  uploads: {},
});

export const summaryOf = (i: HearingIndex, stamp = ''): IndexSummary => ({
  hearing: i.hearing,
  room: i.room,
  createdAt: i.createdAt,
  files: Object.keys(i.files).length,
  bytes: Object.values(i.files).reduce((s, f) => s + f.bytes, 0),
  stamp,
});

/** Newest first; equal times by id, so every backend lists in the same order. */
export const newestFirst = (a: IndexSummary, b: IndexSummary) =>
  a.createdAt === b.createdAt ? (a.hearing < b.hearing ? -1 : 1) : a.createdAt < b.createdAt ? 1 : -1;

/** Serializes `fn` per key within this process (chained promises; a failure does not block the next). */
export function keyedLock() {
  const locks = new Map<string, Promise<unknown>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (locks.get(key) === tail) locks.delete(key);
    }
  };
}

/** Beside the files; the listing line in `.listing.json` next to `.index.json`, stamped with its SHA-256. */
export function createIndexes(store: ArchiveStore): Indexes {
  const cache = new Map<string, { index: HearingIndex; stamp: string } | null>();
  const lock = keyedLock();

  async function cached(hearing: string) {
    if (!cache.has(hearing)) {
      const raw = await store.get(hearing, INDEX);
      cache.set(hearing, raw ? { index: JSON.parse(raw.toString('utf8')) as HearingIndex, stamp: sha(raw) } : null);
    }
    return cache.get(hearing) ?? undefined;
  }

  async function loadLines(hearings: string[]): Promise<Map<string, StoredLine>> {
    const out = new Map<string, StoredLine>();
    for (let i = 0; i < hearings.length; i += 64)
      await Promise.all(
        hearings.slice(i, i + 64).map(async (h) => {
          const raw = await store.get(h, LINE);
          try {
            if (raw) out.set(h, JSON.parse(raw.toString('utf8')) as StoredLine);
          } catch {} // a torn or foreign file: no line kept, it is recomputed and rewritten
        }),
      );
    return out;
  }

  return {
    load: async (hearing) => (await cached(hearing))?.index,
    async save(index: HearingIndex): Promise<void> {
      const raw = Buffer.from(JSON.stringify(index, null, 1));
      await store.put(index.hearing, INDEX, raw);
      cache.set(index.hearing, { index, stamp: sha(raw) });
    },
    locked: lock,
    fresh: freshIndex,
    async list(withLines) {
      const out: IndexSummary[] = [];
      const hearings = await store.list();
      for (
        let i = 0;
        i < hearings.length;
        i += 64 // a cold start reads every index: 64 at a time, not one by one
      )
        for (const c of await Promise.all(hearings.slice(i, i + 64).map(cached))) if (c) out.push(summaryOf(c.index, c.stamp));
      if (withLines) {
        const lines = await loadLines(out.map((s) => s.hearing));
        for (const s of out) s.line = lines.get(s.hearing);
      }
      return out.sort(newestFirst);
    },
    loadLines,
    async saveLines(lines) {
      for (let i = 0; i < lines.length; i += 64)
        await Promise.all(lines.slice(i, i + 64).map((l) => store.put(l.hearing, LINE, Buffer.from(JSON.stringify(l.stored)))));
    },
  };
}
