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

const INDEX = '.index.json';

export function createIndexes(store: ArchiveStore) {
  const cache = new Map<string, HearingIndex | null>();
  const locks = new Map<string, Promise<unknown>>();

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
    /** Runs `fn` with the hearing's writes serialized (read-modify-write of the index). */
    async locked<T>(hearing: string, fn: () => Promise<T>): Promise<T> {
      const prev = locks.get(hearing) ?? Promise.resolve();
      const run = prev.then(fn, fn);
      const tail = run.catch(() => {});
      locks.set(hearing, tail);
      try {
        return await run;
      } finally {
        if (locks.get(hearing) === tail) locks.delete(hearing);
      }
    },
    fresh(hearing: string, room: string): HearingIndex {
      return { v: 1, hearing, room, createdAt: new Date().toISOString(), files: {}, uploads: {} };
    },
  };
}
export type Indexes = ReturnType<typeof createIndexes>;
