import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../tests/helpers/s3-server.js';
import { createFsArchiveStore } from '../fs-archive-store.js';
import { createS3ArchiveStore } from '../s3-archive-store.js';
import { StorageUnavailableError } from '../s3-objects.js';
import { describeArchiveStoreContract } from './archive-store-contract.js';
import { tmp } from './fake-hearing.js';

// The archive contract against the filesystem store and against S3 (a real s3rver process, one for the
// file, each test under its own key prefix); then what only S3 has: staged chunks in the bucket, the
// storage going away and coming back.

let s3: S3Server;
let n = 0;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => s3?.remove());

const s3Store = (prefix: string) => createS3ArchiveStore({ client: s3.client(), bucket: s3.bucket, prefix });

describeArchiveStoreContract('filesystem', async () => {
  const dir = tmp('archive-contract-');
  return { store: createFsArchiveStore(dir), again: () => createFsArchiveStore(dir) };
});

describeArchiveStoreContract('S3 (s3rver)', async () => {
  const prefix = `t${++n}/archive/`;
  return { store: s3Store(prefix), again: () => s3Store(prefix) };
});

describe('S3 archive store', () => {
  const keysUnder = async (prefix: string) =>
    ((await s3.client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

  it('stages each chunk as an object in the bucket; commit and discard leave no staged object behind', async () => {
    const store = s3Store('staging/');
    await store.append('h', 'a.ts', 0, Readable.from([randomBytes(1000)]), 4096);
    await store.append('h', 'a.ts', 1000, Readable.from([randomBytes(500)]), 4096);
    expect(await keysUnder('staging/h/.partial/a.ts/')).toEqual([
      'staging/h/.partial/a.ts/000000000000000',
      'staging/h/.partial/a.ts/000000000001000',
    ]);
    await store.commit('h', 'a.ts');
    await store.append('h', 'b.ts', 0, Readable.from([randomBytes(800)]), 4096);
    await store.discardPartial('h', 'b.ts');
    expect(await keysUnder('staging/')).toEqual(['staging/h/a.ts']);
  });

  it('S3 down: every call fails with 503 STORAGE_UNAVAILABLE (nothing half-written); back up: the upload resumes', async () => {
    const store = s3Store('down/');
    const whole = randomBytes(30_000);
    await store.append('h', 'f.ts', 0, Readable.from([whole.subarray(0, 10_000)]), 1 << 20);
    await s3.stop();
    try {
      const err = await store.append('h', 'f.ts', 10_000, Readable.from([whole.subarray(10_000)]), 1 << 20).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect((err as StorageUnavailableError).statusCode).toBe(503);
      expect((err as Error).message).toMatch(/^Kho lưu trữ S3 tạm thời không dùng được.* \/ S3 archive storage unavailable/);
      await expect(store.partialSize('h', 'f.ts')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.get('h', '.index.json')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(buffer(store.read('h', 'f.ts'))).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await s3.start();
    }
    expect(await store.partialSize('h', 'f.ts')).toBe(10_000);
    await store.append('h', 'f.ts', 10_000, Readable.from([whole.subarray(10_000)]), 1 << 20);
    await store.commit('h', 'f.ts');
    const got = await buffer(store.read('h', 'f.ts'));
    expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(whole).digest('hex'));
  });
});
