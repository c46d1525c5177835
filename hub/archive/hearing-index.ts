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
}

/** Where the indexes live: beside the files (this file) or in PostgreSQL (hearing-index-pg.ts). */
export interface Indexes {
  load(hearing: string): Promise<HearingIndex | undefined>;
  save(index: HearingIndex): Promise<void>;
  /** Runs `fn` with the hearing's writes serialized (read-modify-write of the index). */
  locked<T>(hearing: string, fn: () => Promise<T>): Promise<T>;
  fresh(hearing: string, room: string): HearingIndex;
  /** Every indexed hearing, newest first. */
  list(): Promise<IndexSummary[]>;
}

const INDEX = '.index.json';

export const freshIndex = (hearing: string, room: string): HearingIndex => ({
  v: 1,
  hearing,
  room,
  createdAt: new Date().toISOString(),
  files: {},
  uploads: {},
});

export const summaryOf = (i: HearingIndex): IndexSummary => ({
  hearing: i.hearing,
  room: i.room,
  createdAt: i.createdAt,
  files: Object.keys(i.files).length,
  bytes: Object.values(i.files).reduce((s, f) => s + f.bytes, 0),
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

export function createIndexes(store: ArchiveStore): Indexes {
  const cache = new Map<string, HearingIndex | null>();
  const lock = keyedLock();

  async function load(hearing: string): Promise<HearingIndex | undefined> {
    if (!cache.has(hearing)) {
      const raw = await store.get(hearing, INDEX);
      cache.set(hearing, raw ? (JSON.parse(raw.toString('utf8')) as HearingIndex) : null);
    }
    return cache.get(hearing) ?? undefined;
  }

  return {
    load,
    async save(index: HearingIndex): Promise<void> {
      await store.put(index.hearing, INDEX, Buffer.from(JSON.stringify(index, null, 1)));
      cache.set(index.hearing, index);
    },
    locked: lock,
    fresh: freshIndex,
    async list() {
      const out: IndexSummary[] = [];
      for (const hearing of await store.list()) {
        const i = await load(hearing);
        if (i) out.push(summaryOf(i));
      }
      return out.sort(newestFirst);
    },
  };
}
