import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { ChunkTooLargeError, type ArchiveStore } from './archive-store.js';
import { bucketOps, type ListedObject } from './s3-objects.js';

// S3-compatible backend: `<prefix><hearing>/<name>` committed, dot-names for the archive's own files.
// A resumable upload is staged in the bucket, never only in one process: each PATCH chunk is one object
// `<prefix><hearing>/.partial/<name>/<start offset, 15 digits>`, so the resume point (HEAD) is a listing —
// the same after a hub restart or on another hub node. Chunks are ≤ archive.maxChunkMb (4 MiB), under S3's
// 5 MiB minimum part, so they cannot be parts themselves: the commit (after the SHA-256 check read them back)
// writes the file as a multipart upload of parts grouped to ≥ 5 MiB (one PutObject below that), then deletes
// the chunks. A refused file: its chunks are deleted. Appends, commit and discard of one file are serialized
// in this process; across nodes the routes' one-PATCH-per-file and the offset check keep them apart.

export const PART_MIN = 5 * 1024 * 1024;
/** S3 allows 10 000 parts; a file past PART_MIN × 9 000 gets bigger parts. */
const MAX_PARTS = 9000;
const START_DIGITS = 15;

export interface S3ArchiveOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix, "" or ending in "/". */
  prefix: string;
}

interface Piece extends ListedObject {
  start: number;
}

export function createS3ArchiveStore(o: S3ArchiveOptions): ArchiveStore {
  const s3 = bucketOps(o.client, o.bucket);
  const key = (h: string, n: string) => `${o.prefix}${h}/${n}`;
  const partialDir = (h: string, n: string) => `${o.prefix}${h}/.partial/${n}/`;
  const locks = new Map<string, Promise<unknown>>();

  function locked<T>(h: string, n: string, fn: () => Promise<T>): Promise<T> {
    const k = `${h}/${n}`;
    const run = (locks.get(k) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => {});
    locks.set(k, tail);
    void tail.then(() => locks.get(k) === tail && locks.delete(k));
    return run;
  }

  /** The staged chunks from offset 0 on, contiguous; `all`: every staged key (leftovers included). */
  async function pieces(h: string, n: string): Promise<{ chain: Piece[]; size: number; all: string[] }> {
    const dir = partialDir(h, n);
    const { objects } = await s3.list(dir);
    const listed = objects
      .map((x) => ({ ...x, start: Number(x.key.slice(dir.length)) }))
      .filter((x) => x.key.length === dir.length + START_DIGITS && Number.isInteger(x.start))
      .sort((a, b) => a.start - b.start);
    const chain: Piece[] = [];
    let size = 0;
    for (const p of listed) if (p.start === size && p.bytes > 0) chain.push(p), (size += p.bytes);
    return { chain, size, all: objects.map((x) => x.key) };
  }

  /** The chain as parts of at least `min` bytes (the last may be smaller). */
  async function* parts(chain: Piece[], min: number): AsyncGenerator<Buffer> {
    let held: Buffer[] = [];
    let bytes = 0;
    for (const p of chain) {
      const b = await s3.get(p.key);
      if (!b) throw new Error(`staged chunk ${p.key} vanished`);
      held.push(b);
      bytes += b.length;
      if (bytes >= min) yield Buffer.concat(held), (held = []), (bytes = 0);
    }
    if (bytes > 0) yield Buffer.concat(held);
  }

  return {
    async list() {
      const { prefixes } = await s3.list(o.prefix, '/');
      return prefixes
        .map((p) => p.slice(o.prefix.length, -1))
        .filter((h) => h && !h.startsWith('.'))
        .sort();
    },
    async listFiles(h) {
      const dir = `${o.prefix}${h}/`;
      const { objects } = await s3.list(dir, '/');
      return objects
        .map((x) => x.key.slice(dir.length))
        .filter((n) => n && !n.includes('/') && !n.startsWith('.'))
        .sort();
    },
    stat: (h, n) => s3.head(key(h, n)),
    async partialSize(h, n) {
      return (await pieces(h, n)).size;
    },
    append(h, n, offset, chunk, limit) {
      return locked(h, n, async () => {
        const { size } = await pieces(h, n);
        if (size !== offset) {
          chunk.resume();
          throw new Error(`partial upload is ${size} bytes, not ${offset}`);
        }
        const got: Buffer[] = [];
        let taken = 0;
        let broken: unknown;
        try {
          for await (const b of chunk as AsyncIterable<Buffer>) {
            taken += b.length;
            if (taken > limit) throw new ChunkTooLargeError(limit); // nothing of this chunk is kept
            got.push(b);
          }
        } catch (err) {
          if (err instanceof ChunkTooLargeError) throw err;
          broken = err; // a broken connection: what arrived is kept (the resume point)
        }
        const data = Buffer.concat(got);
        if (data.length === 0) {
          if (broken) throw broken;
          return offset;
        }
        await s3.put(`${partialDir(h, n)}${String(offset).padStart(START_DIGITS, '0')}`, data);
        return offset + data.length;
      });
    },
    readPartial(h, n) {
      return Readable.from(
        (async function* () {
          for (const p of (await pieces(h, n)).chain) yield* s3.stream(p.key);
        })(),
      );
    },
    commit(h, n) {
      return locked(h, n, async () => {
        const { chain, size, all } = await pieces(h, n);
        if (size < PART_MIN) {
          const whole = [];
          for await (const b of parts(chain, Number.MAX_SAFE_INTEGER)) whole.push(b);
          await s3.put(key(h, n), Buffer.concat(whole));
        } else await s3.multipart(key(h, n), parts(chain, Math.max(PART_MIN, Math.ceil(size / MAX_PARTS))));
        await s3.remove(all);
      });
    },
    discardPartial(h, n) {
      return locked(h, n, async () => s3.remove((await pieces(h, n)).all));
    },
    put: async (h, n, bytes) => void (await s3.put(key(h, n), bytes)),
    get: (h, n) => s3.get(key(h, n)),
    read: (h, n, range) => s3.stream(key(h, n), range),
    localPath: () => undefined, // no local file: the remux reads the stream (remux.ts)
  };
}
