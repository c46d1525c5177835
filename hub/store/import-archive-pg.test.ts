import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { S3RVER_CREDENTIALS, type S3Server, startS3Server } from '../../tests/helpers/s3-server.js';
import { OFFICER, startArchiveHub, tmp } from '../archive/test/fake-hearing.js';
import { sha256Hex } from '../config/auth.js';
import { sha256Hex as sha256OfBytes } from '../../common/evidence/index.js';
import { createHub } from '../create-hub.js';
import { testHubDeps } from '../test/hub-fixture.js';
import { openHubStore } from './hub-store.js';
import { runMigrate } from './test/run-migrate.js';

// `reception hub migrate --import-files` of a files-store hub whose archive is in S3 (a real s3rver process): the
// per-hearing indexes are objects in the bucket (`<prefix><hearing>/.index.json`), and a hub on PostgreSQL reads
// them from `archive_hearings` only — so the import takes them from the bucket. Afterwards the hub on a real
// PostgreSQL lists the hearing and verifies it from the bucket. An unreachable bucket stops it naming the URL.

const db = useMigratedDatabase();
const dirs: string[] = [];
const made = (p: string) => (dirs.push(tmp(p)), dirs.at(-1)!);
let s3: S3Server;
afterAll(async () => {
  await s3?.remove();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeAll(async () => {
  s3 = await startS3Server('import-archive');
});

const run = runMigrate;

/** A hub config file with the archive in S3 (what `reception hub --config` would run with). */
function configFile(url: string, endpoint: string) {
  const creds = join(made('s3-creds-'), 's3.json');
  writeFileSync(creds, JSON.stringify(S3RVER_CREDENTIALS), { mode: 0o600 });
  const s3Config = { endpoint, region: 'us-east-1', forcePathStyle: true, credentialsFile: creds };
  const file = join(made('hub-config-'), 'hub.json');
  writeFileSync(file, JSON.stringify({ archive: { url, s3: s3Config } }));
  return { file, archive: { url, s3: s3Config } };
}

describe('reception hub migrate --import-files with an S3 archive (postgres + s3rver)', () => {
  it('imports the indexes from the bucket; the hub on PostgreSQL lists and verifies the hearing; an unreachable bucket imports nothing', async () => {
    const url = `s3://${s3.bucket}/province/archive`;
    const cfg = configFile(url, s3.endpoint);
    // 1. A one-machine hub (files store) receives a hearing into the bucket.
    const stateDir = made('hub-files-s3-');
    const rec = made('rec-');
    const files = await startArchiveHub(stateDir, 0, 4, cfg.archive);
    const h = await (await files.recording(rec)).open();
    await h.segment(120_000);
    await h.close();
    const room = { authorization: `Bearer ${(await files.box('room-demo')).token}` };
    const base = `${files.url}/api/v1/archive/hearings/${h.hearing}`;
    const s = h.segments[0]!;
    const patched = await fetch(`${base}/files/${s.file}`, {
      method: 'PATCH',
      headers: {
        ...room,
        'content-type': 'application/offset+octet-stream',
        'upload-offset': '0',
        'upload-length': String(s.bytes.length),
        'upload-sha256': sha256OfBytes(s.bytes),
      },
      body: new Uint8Array(s.bytes),
    });
    expect(patched.status).toBe(200);
    expect((await fetch(`${base}/manifest`, { method: 'PUT', headers: room, body: h.manifestText() })).status).toBe(200);
    await files.stop();

    // 2. The bucket unreachable (nothing listens there) or absent: refused naming the URL, nothing imported.
    const down = configFile(url, `http://127.0.0.1:${await freePort()}`);
    const refused = await run(['--config', down.file, '--store', db.url, '--import-files', stateDir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `không đọc được kho lưu trữ S3 ${url}, không nhập gì / cannot read the S3 archive ${url}, nothing imported`,
    );
    const absent = await run(['--config', cfg.file, '--archive', 's3://no-such-bucket/x', '--store', db.url, '--import-files', stateDir]);
    expect(absent.code).toBe(1);
    expect(absent.err).toMatch(/cannot read the S3 archive s3:\/\/no-such-bucket\/x, nothing imported: .*NoSuchBucket/);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM registry_rooms')).rows[0].n).toBe(0);

    // 3. The import, as an operator runs it with the hub's config: the indexes come from the bucket.
    const done = await run(['--config', cfg.file, '--store', db.url, '--import-files', stateDir]);
    expect(done.err).toBe('');
    expect(done.code).toBe(0);
    const line = JSON.parse(done.out.split('\n')[0]!);
    expect(line).toMatchObject({ imported: { archive: 1, registry: 2, hearings: 1 }, archiveIndexesFrom: url });

    // 4. The hub on PostgreSQL, the same bucket: lists the hearing, verified under the imported registry's key.
    const store = await openHubStore(db.url, silentLogger());
    const pgHub = createHub(
      testHubDeps({
        stateDir,
        store,
        archive: { enabled: true, dir: '', maxChunkMb: 4, ...cfg.archive },
        tokens: [{ name: 'officer', sha256: sha256Hex(OFFICER), roles: ['officer', 'archivist'] }],
      }),
    );
    try {
      await pgHub.start();
      const list = await fetch(`${pgHub.address()}/api/v1/archive/hearings`, { headers: { authorization: `Bearer ${OFFICER}` } });
      expect(list.status).toBe(200);
      expect(await list.json()).toMatchObject([{ hearing: h.hearing, room: 'room-demo', state: 'verified', segments: 1 }]);
    } finally {
      await pgHub.stop();
      await store.close();
    }
  }, 120_000);
});
