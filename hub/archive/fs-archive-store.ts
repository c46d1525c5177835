import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChunkTooLargeError, type ArchiveStore, type StoredFile } from './archive-store.js';

// Filesystem backend: `<dir>/<hearing>/<name>` committed, `<dir>/<hearing>/.partial/<name>` in
// transit, dot-files for the archive's own index. Names are validated by the routes before they
// reach here (no slashes, no leading dot), so paths cannot escape `dir`. Recordings and books are not for
// every user of the machine: files 0640, directories 0750, from their creation (a umask only narrows them).

export const FILE_MODE = 0o640;
export const DIR_MODE = 0o750;

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function createFsArchiveStore(dir: string): ArchiveStore {
  const hearingDir = (h: string) => join(dir, h);
  const partial = (h: string, n: string) => join(dir, h, '.partial', n);
  const committed = (h: string, n: string) => join(dir, h, n);

  return {
    async list() {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    },
    async listFiles(h) {
      const entries = await readdir(hearingDir(h), { withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.includes('.tmp-'))
        .map((e) => e.name)
        .sort();
    },
    async stat(h, n): Promise<StoredFile | undefined> {
      try {
        const s = await stat(committed(h, n));
        return s.isFile() ? { bytes: s.size, mtime: s.mtime.toISOString() } : undefined;
      } catch {
        return undefined;
      }
    },
    async partialSize(h, n) {
      return (await sizeOf(partial(h, n))) ?? 0;
    },
    async append(h, n, offset, chunk, limit) {
      const path = partial(h, n);
      await mkdir(join(dir, h, '.partial'), { recursive: true, mode: DIR_MODE });
      const before = (await sizeOf(path)) ?? 0;
      if (before !== offset) throw new Error(`partial upload is ${before} bytes, not ${offset}`);
      let taken = 0;
      const counter = new Transform({
        transform(buf: Buffer, _enc, done) {
          taken += buf.length;
          done(taken > limit ? new ChunkTooLargeError(limit) : null, buf);
        },
      });
      try {
        await pipeline(chunk, counter, createWriteStream(path, { flags: 'a', mode: FILE_MODE }));
      } catch (err) {
        // Too much: nothing of this chunk stays. A broken connection: what arrived stays (resume point).
        if (err instanceof ChunkTooLargeError) {
          await truncate(path, offset);
          throw err; // as the interface says: the caller answers 413 with the limit
        }
        if ((await sizeOf(path)) === offset) throw err;
      }
      return (await sizeOf(path)) ?? 0;
    },
    readPartial(h, n) {
      return createReadStream(partial(h, n));
    },
    async commit(h, n) {
      await rename(partial(h, n), committed(h, n));
    },
    async discardPartial(h, n) {
      await rm(partial(h, n), { force: true });
    },
    async put(h, n, bytes) {
      await mkdir(hearingDir(h), { recursive: true, mode: DIR_MODE });
      const tmp = `${committed(h, n)}.tmp-${process.pid}-${Date.now()}`;
      await writeFile(tmp, bytes, { mode: FILE_MODE });
      await rename(tmp, committed(h, n)); // readers see the old or the new file, never half
    },
    async get(h, n) {
      try {
        return await readFile(committed(h, n));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    read(h, n, range): Readable {
      return createReadStream(committed(h, n), range ? { start: range.start, end: range.end } : {});
    },
    localPath(h, n) {
      return committed(h, n);
    },
  };
}
