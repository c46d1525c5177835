import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootLogger } from '../../../common/log.js';
import { startS3Server, S3RVER_CREDENTIALS, type S3Server } from '../../../tests/helpers/s3-server.js';
import { waitFor } from '../../test/hub-fixture.js';
import { s3ArchiveStoreOf } from '../s3-archive-open.js';
import { tmp } from './fake-hearing.js';

// What the hub says at start about its S3 archive (s3-archive-open.ts): reachable → one info line, away → one
// warning naming the bucket (not fatal: uploads answer 503 until it is back). A bucket that already holds an
// archive must read as reachable: the first probe listed one key, which s3rver answers with InternalError
// whenever the listing is truncated — a false "not reachable" at every start of a hub with an archive in it.

let s3: S3Server;
let creds = '';

beforeAll(async () => {
  s3 = await startS3Server('archive-open');
  creds = join(tmp('s3-open-creds-'), 's3.json');
  writeFileSync(creds, JSON.stringify(S3RVER_CREDENTIALS), { mode: 0o600 });
});
afterAll(async () => {
  await s3?.remove();
});

/** Opens the archive as the hub does and returns the first line it logs about the storage. */
async function openAndListen(prefix: string) {
  const lines: { level: number; msg: string; bucket?: string; reason?: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const archive = { url: `s3://${s3.bucket}/${prefix}`, s3: { endpoint: s3.endpoint, forcePathStyle: true, credentialsFile: creds } };
  expect(s3ArchiveStoreOf(archive, createRootLogger('hub', 'info', sink))).toBeDefined();
  await waitFor(() => lines.length > 0, 60_000);
  return lines[0];
}

describe('the hub opening its S3 archive', () => {
  it('a bucket holding an archive already: reachable (info), not a warning', async () => {
    const client = s3.client();
    for (const key of ['province/archive/h-1/index.json', 'province/archive/h-2/index.json'])
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: '{}' }));
    const line = await openAndListen('province/archive');
    expect(line).toMatchObject({ msg: 'archive in S3-compatible storage', bucket: s3.bucket });
  });

  it('the storage away: one warning naming the bucket, and the store still made (its 503s: s3-upload.test.ts)', async () => {
    await s3.stop();
    try {
      const line = await openAndListen('province/archive');
      expect(line.msg).toContain('not reachable yet');
      expect(line).toMatchObject({ bucket: s3.bucket, level: 40 });
    } finally {
      await s3.start();
    }
  });
});
