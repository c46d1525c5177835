import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, verifyReceipt, type Receipt } from '../../../common/evidence/index.js';
import { startS3Server, S3RVER_CREDENTIALS, type S3Server } from '../../../tests/helpers/s3-server.js';
import { archived, pinHubKey, receiptsOf, startUploader } from '../../../daemon/modules/uploader/test/fixture.js';
import { waitFor } from '../../test/hub-fixture.js';
import { run as verify } from '../../../provisioning/commands/verify-command.js';
import { OFFICER, startArchiveHub, tmp } from './fake-hearing.js';
import type { S3ArchiveConfig } from '../s3-config.js';

// The archive in S3 through the real HTTP routes: a hub configured with `archive.url: s3://…` (credentials
// from a file), a real s3rver process. Uploads end in the bucket with a receipt; a refused file leaves no
// staged chunk; Range and the MP4 remux stream from S3; with S3 down no receipt is given (503) and the room's
// real uploader keeps the file and retries until S3 is back.

let s3: S3Server;
let hub: Awaited<ReturnType<typeof startArchiveHub>>;
const OFF = { authorization: `Bearer ${OFFICER}` };
const rec = tmp('rec-s3-');
let creds = '';
let hubState = '';
let s3Config: S3ArchiveConfig;

beforeAll(async () => {
  s3 = await startS3Server('archive-upload');
  creds = join(tmp('s3-creds-'), 's3.json');
  writeFileSync(creds, JSON.stringify(S3RVER_CREDENTIALS), { mode: 0o600 });
  s3Config = { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentialsFile: creds };
  hubState = tmp('hub-s3-');
  hub = await startArchiveHub(hubState, 0, 4, { url: `s3://${s3.bucket}/province/archive`, s3: s3Config });
});
afterAll(async () => {
  await hub?.stop();
  await s3?.remove();
});

const room = async () => ({ authorization: `Bearer ${(await hub.box('room-demo')).token}` });
const fileUrl = (h: string, f: string) => `${hub.url}/api/v1/archive/hearings/${h}/files/${f}`;
async function patch(h: string, f: string, offset: number, data: Buffer, whole: Buffer, sha = sha256Hex(whole)) {
  return fetch(fileUrl(h, f), {
    method: 'PATCH',
    headers: {
      ...(await room()),
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'upload-length': String(whole.length),
      'upload-sha256': sha,
    },
    body: new Uint8Array(data),
  });
}
const keys = async (prefix: string) =>
  ((await s3.client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

describe('archive in S3 over HTTP', () => {
  it('a 6 MiB segment in 4 MiB chunks lands in the bucket with a receipt; Range reads it; a refused file leaves nothing', async () => {
    const H = (await hub.recording(rec)).hearing;
    const whole = randomBytes(6 * 1024 * 1024 + 777);
    expect((await patch(H, 'seg-00000.ts', 0, whole.subarray(0, 4 << 20), whole)).status).toBe(204);
    expect(await keys(`province/archive/${H}/.partial/seg-00000.ts/`)).toHaveLength(1); // staged in the bucket
    const done = await patch(H, 'seg-00000.ts', 4 << 20, whole.subarray(4 << 20), whole);
    expect(done.status).toBe(200);
    const receipt = (await done.json()) as Receipt;
    expect(verifyReceipt(receipt, Buffer.from(hub.archive.publicKey(), 'base64'))).toBe(true);
    expect(receipt).toMatchObject({ hearing: H, file: 'seg-00000.ts', bytes: whole.length, sha256: sha256Hex(whole) });
    expect((await keys(`province/archive/${H}/`)).sort()).toEqual([
      `province/archive/${H}/.index.json`,
      `province/archive/${H}/seg-00000.ts`,
    ]);
    const part = await fetch(fileUrl(H, 'seg-00000.ts'), { headers: { ...OFF, range: 'bytes=5242870-5242889' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5242870-5242889/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(whole.subarray(5_242_870, 5_242_890));
    // wrong SHA-256 declared: 422, and not one staged chunk stays in the bucket
    const bad = await patch(H, 'seg-00001.ts', 0, whole.subarray(0, 1000), whole.subarray(0, 1000), 'ab'.repeat(32));
    expect(bad.status).toBe(422);
    expect(await keys(`province/archive/${H}/.partial/`)).toEqual([]);
  });

  it('a hub restarted mid-upload resumes from what the bucket holds (HEAD), and gives the receipt', async () => {
    const H = (await hub.recording(rec)).hearing;
    const whole = randomBytes(5 * 1024 * 1024);
    expect((await patch(H, 'seg-00000.ts', 0, whole.subarray(0, 3_000_000), whole)).status).toBe(204);
    const port = Number(new URL(hub.url).port);
    await hub.stop();
    hub = await startArchiveHub(hubState, port, 4, { url: `s3://${s3.bucket}/province/archive`, s3: s3Config });
    const head = await fetch(fileUrl(H, 'seg-00000.ts'), { method: 'HEAD', headers: await room() });
    expect(head.headers.get('upload-offset')).toBe('3000000');
    expect(head.headers.get('upload-length')).toBe(String(whole.length)); // the declaration, from the index in the bucket
    const done = await patch(H, 'seg-00000.ts', 3_000_000, whole.subarray(3_000_000), whole);
    expect(done.status).toBe(200);
    expect(((await done.json()) as Receipt).sha256).toBe(sha256Hex(whole));
  });

  it('?format=mp4 remuxes an MPEG-TS segment streamed from S3', async () => {
    const ts = join(tmp('ts-'), 'seg.ts');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=d=1:s=160x120:r=10', '-c:v', 'mpeg2video', '-f', 'mpegts', ts]);
    const bytes = readFileSync(ts);
    const H = (await hub.recording(rec)).hearing;
    expect((await patch(H, 'seg-00000.ts', 0, bytes, bytes)).status).toBe(200);
    const mp4 = await fetch(`${fileUrl(H, 'seg-00000.ts')}?format=mp4`, { headers: OFF });
    expect(mp4.status).toBe(200);
    expect(mp4.headers.get('content-type')).toBe('video/mp4');
    const body = Buffer.from(await mp4.arrayBuffer());
    expect(body.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(body.includes(Buffer.from('moof'))).toBe(true); // fragments: the stream copy went through
  });

  it('S3 down: 503 STORAGE_UNAVAILABLE, no receipt, the room keeps the file and retries; S3 back: all received and verified', async () => {
    const h = await (await hub.recording(rec)).open();
    await h.segment(200_000);
    const state = tmp('state-s3-');
    pinHubKey(state, hub.archive.publicKey());
    const { u, bus } = startUploader(hub.url, rec, state);
    try {
      await u.start();
      await waitFor(() => u.summary().backlogFiles === 0, 15_000, 'first drain into S3');
      await s3.stop();
      const file = await h.segment(300_000);
      const raw = await patch(h.hearing, file, 0, h.segments[1]!.bytes, h.segments[1]!.bytes);
      expect(raw.status).toBe(503);
      expect(raw.headers.get('retry-after')).toBe('30');
      expect(((await raw.json()) as { code: string }).code).toBe('STORAGE_UNAVAILABLE');
      bus.emit('recording', { kind: 'segment', hearing: h.hearing, file, durationMs: 10_000, bytes: 300_000 });
      await h.close();
      bus.emit('recording', { kind: 'close', hearing: h.hearing, dir: join(rec, h.hearing) });
      await waitFor(() => u.summary().state === 'waiting', 15_000, 'the uploader waiting for the hub');
      expect(receiptsOf(join(rec, h.hearing)).map((r) => r.file)).not.toContain(file);
      expect(u.summary().backlogFiles).toBeGreaterThanOrEqual(2); // the segment and the manifest, kept
      await s3.start();
      await waitFor(() => u.summary().backlogFiles === 0, 30_000, 'drain after S3 returns');
      expect(receiptsOf(join(rec, h.hearing)).map((r) => r.file)).toContain(file);
      await waitFor(async () => (await archived(hub.url)).find((x) => x.hearing === h.hearing)?.state === 'verified', 15_000, 'verified');
    } finally {
      await u.stop();
      await s3.start(); // a no-op when the test got that far
    }
  }, 90_000);

  it('reception verify checks a hearing straight from the bucket: intact; a segment changed in the bucket → 1; S3 down → 2', async () => {
    const h = await (await hub.recording(rec)).open();
    for (let i = 0; i < 2; i++) await h.segment(150_000);
    await h.book({ v: 1, summary: 'Kiến nghị về đất đai' });
    await h.close();
    for (const s of h.segments) expect((await patch(h.hearing, s.file, 0, s.bytes, s.bytes)).status).toBe(200);
    for (const [doc, body] of [
      ['book', readFileSync(join(rec, h.hearing, 'book.json'))],
      ['manifest', Buffer.from(h.manifestText())],
    ] as const)
      expect(
        (await fetch(`${hub.url}/api/v1/archive/hearings/${h.hearing}/${doc}`, { method: 'PUT', headers: await room(), body })).status,
      ).toBe(200);
    const key = (await hub.box('room-demo')).key.publicKeyRaw.toString('base64');
    const url = `s3://${s3.bucket}/province/archive/${h.hearing}`;
    const args = [url, '--key', key, '--json', '--s3-endpoint', s3.endpoint, '--s3-path-style', '--s3-credentials', creds];
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const errWrite = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((c: string) => out.push(String(c)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((c: string) => out.push(String(c)) > 0) as typeof process.stderr.write;
    try {
      expect(await verify(args)).toBe(0);
      expect(JSON.parse(out.join(''))).toMatchObject({ ok: true, dir: url, hearing: h.hearing, book: 'matches' });
      const changed = Buffer.from(h.segments[1]!.bytes);
      changed[1000] ^= 1;
      const k = `province/archive/${h.hearing}/${h.segments[1]!.file}`;
      await s3.client().send(new PutObjectCommand({ Bucket: s3.bucket, Key: k, Body: changed }));
      out.length = 0;
      expect(await verify(args)).toBe(1);
      expect(out.join('')).toContain(`${h.segments[1]!.file}: SHA-256 mismatch`);
      await s3.stop();
      out.length = 0;
      expect(await verify(args)).toBe(2);
      expect(out.join('')).toContain('S3 archive storage unavailable');
    } finally {
      process.stdout.write = write;
      process.stderr.write = errWrite;
      await s3.start();
    }
  });
});
