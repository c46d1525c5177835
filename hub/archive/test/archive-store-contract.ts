import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ChunkTooLargeError, type ArchiveStore } from '../archive-store.js';
import { createFileUploads } from '../file-upload.js';
import { createIndexes } from '../hearing-index.js';
import { loadOrCreateHubKey } from '../hub-key.js';
import { tmp } from './fake-hearing.js';

// One behaviour for every ArchiveStore backend (filesystem, S3): `make()` gives a fresh, empty archive and
// `again()` a second store over the same storage (a restarted hub, another hub node).

export interface ContractBackend {
  store: ArchiveStore;
  again(): ArchiveStore;
}

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const from = (b: Buffer) => Readable.from([b]);
/** A connection that delivers `b`, then breaks (a moment later, as a peer that goes away after sending). */
const broken = (b: Buffer) => {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) return void ((sent = true), this.push(b));
      setTimeout(() => this.destroy(new Error('socket hang up')), 50);
    },
  });
};

export function describeArchiveStoreContract(name: string, make: () => Promise<ContractBackend>) {
  describe(`ArchiveStore contract: ${name}`, () => {
    it('put / get / stat / list / listFiles: whole small files, dot-files hidden, a put replaces', async () => {
      const { store } = await make();
      expect(await store.list()).toEqual([]);
      expect(await store.get('h1', 'book.json')).toBeUndefined();
      expect(await store.stat('h1', 'book.json')).toBeUndefined();
      await store.put('h1', 'book.json', Buffer.from('{"v":1}'));
      await store.put('h1', '.index.json', Buffer.from('{}'));
      await store.put('h2', 'manifest.jsonl', Buffer.from('x\n'));
      await store.put('h1', 'book.json', Buffer.from('{"v":2}'));
      expect((await store.get('h1', 'book.json'))?.toString()).toBe('{"v":2}');
      expect((await store.get('h1', '.index.json'))?.toString()).toBe('{}');
      const st = await store.stat('h1', 'book.json');
      expect(st?.bytes).toBe(7);
      expect(Math.abs(Date.parse(st!.mtime) - Date.now())).toBeLessThan(10 * 60_000);
      expect(await store.list()).toEqual(['h1', 'h2']);
      expect(await store.listFiles('h1')).toEqual(['book.json']);
      expect(await store.listFiles('nope')).toEqual([]);
    });

    it('appends at the exact offset only, keeps what arrived before a broken connection, resumes, commits', async () => {
      const { store } = await make();
      const whole = randomBytes(300_000);
      expect(await store.partialSize('h', 'seg-00000.ts')).toBe(0);
      expect(await store.append('h', 'seg-00000.ts', 0, from(whole.subarray(0, 100_000)), MiB)).toBe(100_000);
      await expect(store.append('h', 'seg-00000.ts', 0, from(whole.subarray(0, 10)), MiB)).rejects.toThrow(/100000/);
      // the connection breaks after 50 000 bytes of the next chunk: they stay, HEAD tells 150 000
      expect(await store.append('h', 'seg-00000.ts', 100_000, broken(whole.subarray(100_000, 150_000)), MiB)).toBe(150_000);
      expect(await store.partialSize('h', 'seg-00000.ts')).toBe(150_000);
      expect(await store.append('h', 'seg-00000.ts', 150_000, from(whole.subarray(150_000)), MiB)).toBe(300_000);
      expect(await store.stat('h', 'seg-00000.ts')).toBeUndefined(); // not committed yet
      expect(await store.listFiles('h')).toEqual([]);
      expect(sha(await buffer(store.readPartial('h', 'seg-00000.ts')))).toBe(sha(whole));
      await store.commit('h', 'seg-00000.ts');
      expect(await store.partialSize('h', 'seg-00000.ts')).toBe(0);
      expect(await store.listFiles('h')).toEqual(['seg-00000.ts']);
      expect((await store.stat('h', 'seg-00000.ts'))?.bytes).toBe(300_000);
      expect(sha(await buffer(store.read('h', 'seg-00000.ts')))).toBe(sha(whole));
    });

    it('a chunk past the limit leaves nothing of itself', async () => {
      const { store } = await make();
      await store.append('h', 'f.ts', 0, from(Buffer.alloc(1000, 1)), MiB);
      const out = await store.append('h', 'f.ts', 1000, from(Buffer.alloc(5000, 2)), 4000).catch((e: unknown) => e);
      expect(out).toBeInstanceOf(ChunkTooLargeError);
      expect(await store.partialSize('h', 'f.ts')).toBe(1000);
    });

    it('a discarded partial is gone and nothing is committed', async () => {
      const { store } = await make();
      await store.append('h', 'bad.ts', 0, from(randomBytes(5000)), MiB);
      await store.discardPartial('h', 'bad.ts');
      expect(await store.partialSize('h', 'bad.ts')).toBe(0);
      expect(await store.stat('h', 'bad.ts')).toBeUndefined();
      expect(await store.listFiles('h')).toEqual([]);
    });

    it('Range reads give exactly the bytes asked for', async () => {
      const { store } = await make();
      const whole = randomBytes(70_000);
      await store.append('h', 'r.ts', 0, from(whole), MiB);
      await store.commit('h', 'r.ts');
      // (not bytes=0-0: s3rver 3.7 answers the whole object to it; real S3 and MinIO answer one byte)
      expect(Buffer.compare(await buffer(store.read('h', 'r.ts', { start: 0, end: 1 })), whole.subarray(0, 2))).toBe(0);
      expect(Buffer.compare(await buffer(store.read('h', 'r.ts', { start: 1234, end: 56_788 })), whole.subarray(1234, 56_789))).toBe(0);
      expect(Buffer.compare(await buffer(store.read('h', 'r.ts', { start: 69_990, end: 69_999 })), whole.subarray(69_990))).toBe(0);
    });

    it('a large file in 4 MiB chunks (several S3 parts) resumes on another store instance and commits whole', async () => {
      const { store, again } = await make();
      const whole = randomBytes(13 * MiB + 12_345);
      let at = 0;
      for (let i = 0; at < whole.length; i++) {
        const s = i < 2 ? store : again(); // two chunks here, the rest after a "restart" / on another node
        if (i === 2) expect(await s.partialSize('big', 'seg-00001.ts')).toBe(8 * MiB);
        at = await s.append('big', 'seg-00001.ts', at, from(whole.subarray(at, at + 4 * MiB)), 4 * MiB);
      }
      const other = again();
      expect(sha(await buffer(other.readPartial('big', 'seg-00001.ts')))).toBe(sha(whole));
      await other.commit('big', 'seg-00001.ts');
      expect((await store.stat('big', 'seg-00001.ts'))?.bytes).toBe(whole.length);
      expect(sha(await buffer(store.read('big', 'seg-00001.ts')))).toBe(sha(whole));
      const mid = { start: 5 * MiB - 10, end: 5 * MiB + 10 }; // across a part boundary
      expect(Buffer.compare(await buffer(store.read('big', 'seg-00001.ts', mid)), whole.subarray(mid.start, mid.end + 1))).toBe(0);
    });

    it('two PATCHes of one file at once: one goes in, the other is refused, the partial stays consistent', async () => {
      const { store } = await make();
      const indexes = createIndexes(store);
      const key = await loadOrCreateHubKey(join(tmp('contract-key-'), 'hub.pem'));
      const uploads = createFileUploads({ store, indexes, key, maxChunkBytes: 4 * MiB, roomQuotaBytes: 1024 * MiB });
      await indexes.save(indexes.fresh('hc', 'room-a'));
      const whole = randomBytes(200_000);
      const d = { offset: 0, length: whole.length, sha256: sha(whole) };
      const outs = await Promise.all([
        uploads.patch('hc', 'seg.ts', d, from(whole.subarray(0, 100_000))),
        uploads.patch('hc', 'seg.ts', d, from(whole.subarray(0, 100_000))),
      ]);
      expect(outs.map((o) => o.kind).sort()).toEqual(['conflict', 'progress']);
      expect(await store.partialSize('hc', 'seg.ts')).toBe(100_000);
      const done = await uploads.patch('hc', 'seg.ts', { ...d, offset: 100_000 }, from(whole.subarray(100_000)));
      expect(done.kind).toBe('done');
      expect(sha(await buffer(store.read('hc', 'seg.ts')))).toBe(sha(whole));
    });
  });
}
