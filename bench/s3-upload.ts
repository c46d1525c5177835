// Benchmark: upload throughput into the hub archive, S3 (a real s3rver process on loopback) against the
// filesystem store, side by side in one run. Two in-process hubs, the same files PATCHed over HTTP in
// 4 MiB chunks (as the room's uploader sends them) until each file's receipt; rounds alternate fs / S3 so
// the box's noise falls on both. A third line, `s3-direct`: the same bytes PutObject'ed straight into s3rver
// (no hub), what the S3 server itself costs on this box. Prints JSON: MB/s per backend and round, the load average around each.
// Usage: npx tsx bench/s3-upload.ts [--files 4] [--mb 16] [--rounds 3]
import { randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../common/evidence/index.js';
import { startArchiveHub, tmp } from '../hub/archive/test/fake-hearing.js';
import { startS3Server, S3RVER_CREDENTIALS } from '../tests/helpers/s3-server.js';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '4' }, mb: { type: 'string', default: '16' }, rounds: { type: 'string', default: '3' } },
});
const CHUNK = 4 * 1024 * 1024;
const files = Array.from({ length: Number(values.files) }, () => randomBytes(Number(values.mb) * 1024 * 1024));
const load = () => +loadavg()[0]!.toFixed(1);

type Hub = Awaited<ReturnType<typeof startArchiveHub>>;

/** Every file into one new hearing, chunk by chunk; the seconds until the last receipt. */
async function upload(hub: Hub, rec: string): Promise<number> {
  const H = (await hub.recording(rec)).hearing;
  const auth = `Bearer ${(await hub.box('room-demo')).token}`;
  const t0 = performance.now();
  for (const [i, whole] of files.entries()) {
    const sha = sha256Hex(whole);
    for (let at = 0; at < whole.length; at += CHUNK) {
      const res = await fetch(`${hub.url}/api/v1/archive/hearings/${H}/files/seg-${String(i).padStart(5, '0')}.ts`, {
        method: 'PATCH',
        headers: {
          authorization: auth,
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(at),
          'upload-length': String(whole.length),
          'upload-sha256': sha,
        },
        body: new Uint8Array(whole.subarray(at, at + CHUNK)),
      });
      const want = at + CHUNK >= whole.length ? 200 : 204;
      if (res.status !== want) throw new Error(`PATCH answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  }
  return (performance.now() - t0) / 1000;
}

/** The baseline: each file PutObject'ed whole into the bucket by a client, no hub. */
async function direct(s3: Awaited<ReturnType<typeof startS3Server>>, r: number): Promise<number> {
  const client = s3.client();
  const t0 = performance.now();
  for (const [i, Body] of files.entries()) await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `direct/${r}/${i}`, Body }));
  return (performance.now() - t0) / 1000;
}

async function main() {
  const s3 = await startS3Server('bench-archive');
  const dirs = { fs: tmp('bench-fs-hub-'), s3: tmp('bench-s3-hub-'), rec: tmp('bench-rec-'), creds: tmp('bench-creds-') };
  const credentialsFile = join(dirs.creds, 's3.json');
  writeFileSync(credentialsFile, JSON.stringify(S3RVER_CREDENTIALS), { mode: 0o600 });
  const hubs: Record<'fs' | 's3', Hub> = {
    fs: await startArchiveHub(dirs.fs),
    s3: await startArchiveHub(dirs.s3, 0, 4, {
      url: `s3://${s3.bucket}/bench`,
      s3: { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentialsFile },
    }),
  };
  const mb = (files.length * files[0]!.length) / 1e6;
  const rounds: { round: number; backend: string; mb: number; s: number; mbPerS: number; load1mBefore: number; load1mAfter: number }[] = [];
  try {
    for (let r = 1; r <= Number(values.rounds); r++) {
      for (const backend of r % 2 ? (['fs', 's3', 's3-direct'] as const) : (['s3-direct', 's3', 'fs'] as const)) {
        const before = load();
        const s = backend === 's3-direct' ? await direct(s3, r) : await upload(hubs[backend], dirs.rec);
        rounds.push({
          round: r,
          backend,
          mb: +mb.toFixed(1),
          s: +s.toFixed(2),
          mbPerS: +(mb / s).toFixed(1),
          load1mBefore: before,
          load1mAfter: load(),
        });
      }
    }
  } finally {
    await hubs.fs.stop();
    await hubs.s3.stop();
    await s3.remove();
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  }
  const mean = (b: string) => +(rounds.filter((x) => x.backend === b).reduce((a, x) => a + x.mbPerS, 0) / Number(values.rounds)).toFixed(1);
  console.log(
    JSON.stringify(
      {
        files: files.length,
        fileMB: +(files[0]!.length / 1e6).toFixed(1),
        chunkMiB: 4,
        rounds,
        meanMbPerS: { fs: mean('fs'), s3: mean('s3'), s3Direct: mean('s3-direct') },
      },
      null,
      1,
    ),
  );
}
await main();
