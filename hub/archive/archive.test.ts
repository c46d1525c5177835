import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex, verifyReceipt, type Receipt } from '../../common/evidence/index.js';
import { FakeHearing, OFFICER, sampleBook, startArchiveHub, tmp } from './test/fake-hearing.js';

// The archive over real HTTP: resumable PATCH, receipts, manifest verification, reads. Rooms are enrolled
// boxes (their token); each recording is of a hub hearing the room took part in.

let ROOM = { authorization: '' };
let ROOM2 = { authorization: '' };
const OFF = { authorization: `Bearer ${OFFICER}` };

let hub: Awaited<ReturnType<typeof startArchiveHub>>;
let stateDir: string;
const rec = tmp('rec-');
const base = () => `${hub.url}/api/v1/archive`;
const fileUrl = (h: string, f: string) => `${base()}/hearings/${h}/files/${f}`;
const patch = (h: string, f: string, offset: number, data: Buffer, whole: Buffer, headers = ROOM, sha = sha256Hex(whole)) =>
  fetch(fileUrl(h, f), {
    method: 'PATCH',
    headers: {
      ...headers,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'upload-length': String(whole.length),
      'upload-sha256': sha,
    },
    body: new Uint8Array(data),
  });
const head = async (h: string, f: string, headers = ROOM) =>
  Number((await fetch(fileUrl(h, f), { method: 'HEAD', headers })).headers.get('upload-offset'));

beforeAll(async () => {
  stateDir = tmp('hub-');
  hub = await startArchiveHub(stateDir);
  ROOM = { authorization: `Bearer ${(await hub.box('room-demo')).token}` };
  ROOM2 = { authorization: `Bearer ${(await hub.box('room-2')).token}` };
});
afterAll(async () => hub.stop());

describe('hub archive', () => {
  it('creates the hub key 0600 and publishes it', async () => {
    expect(statSync(join(stateDir, 'keys', 'hub-ed25519.pem')).mode & 0o777).toBe(0o600);
    const key = (await (await fetch(`${base()}/key`)).json()) as { publicKey: string };
    expect(Buffer.from(key.publicKey, 'base64')).toHaveLength(32);
  });

  it('takes chunks at the right offset, refuses replays (409), signs a receipt, verifies the hearing', async () => {
    const h = await (await hub.recording(rec)).open();
    const H = h.hearing;
    await h.segment(300_000);
    await h.segment(200_000);
    const [s0, s1] = h.segments;
    const r1 = await patch(H, s0!.file, 0, s0!.bytes.subarray(0, 100_000), s0!.bytes);
    expect(r1.status).toBe(204);
    expect(r1.headers.get('upload-offset')).toBe('100000');
    expect(await head(H, s0!.file)).toBe(100_000);
    const replay = await patch(H, s0!.file, 0, s0!.bytes.subarray(0, 100_000), s0!.bytes);
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { offset: number }).offset).toBe(100_000);
    const done = await patch(H, s0!.file, 100_000, s0!.bytes.subarray(100_000), s0!.bytes);
    expect(done.status).toBe(200);
    const receipt = (await done.json()) as Receipt;
    const hubKey = Buffer.from(((await (await fetch(`${base()}/key`)).json()) as { publicKey: string }).publicKey, 'base64');
    expect(verifyReceipt(receipt, hubKey)).toBe(true);
    expect(receipt).toMatchObject({ hearing: H, file: s0!.file, bytes: 300_000, sha256: sha256Hex(s0!.bytes) });
    // the same file again: the same receipt, nothing rewritten
    expect(await (await patch(H, s0!.file, 300_000, Buffer.alloc(0), s0!.bytes)).json()).toEqual(receipt);
    // segment 1 arrives before the manifest lists it: held unverified
    expect((await patch(H, s1!.file, 0, s1!.bytes, s1!.bytes)).status).toBe(200);
    await h.book(sampleBook);
    await h.close();
    const put = await fetch(`${base()}/hearings/${H}/manifest`, {
      method: 'PUT',
      headers: { ...ROOM, 'content-type': 'application/octet-stream' },
      body: h.manifestText(),
    });
    expect(put.status).toBe(200);
    let list = (await (await fetch(`${base()}/hearings`, { headers: OFF })).json()) as {
      hearing: string;
      state: string;
      reasons: string[];
    }[];
    expect(list.find((x) => x.hearing === H)).toMatchObject({ state: 'incomplete' }); // book.json not there yet
    expect(
      (
        await fetch(`${base()}/hearings/${H}/book`, {
          method: 'PUT',
          headers: { ...ROOM, 'content-type': 'application/json' },
          body: JSON.stringify(sampleBook),
        })
      ).status,
    ).toBe(200);
    list = (await (await fetch(`${base()}/hearings`, { headers: OFF })).json()) as typeof list;
    const item = list.find((x) => x.hearing === H) as unknown as {
      state: string;
      book: { classification: string; officer: string };
      room: string;
    };
    expect(item).toMatchObject({
      state: 'verified',
      room: 'room-demo',
      book: { classification: 'denunciation', classificationVi: 'tố cáo' },
    });
    expect(JSON.stringify(item)).not.toContain('aes-256-gcm'); // no identity, not even sealed, in the list
    const detail = (await (await fetch(`${base()}/hearings/${H}`, { headers: OFF })).json()) as {
      segments: { state: string }[];
      entries: unknown[];
    };
    expect(detail.segments.map((s) => s.state)).toEqual(['verified', 'verified']);
    expect(detail.entries).toHaveLength(5);
    // playback reads: Range
    const part = await fetch(`${fileUrl(H, s1!.file)}`, { headers: { ...OFF, range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/200000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(s1!.bytes.subarray(10, 20));
  });

  it('refuses a file whose SHA-256 does not match (422) and keeps nothing of it', async () => {
    const h = await (await hub.recording(rec)).open();
    const H = h.hearing;
    await h.segment(50_000);
    const s = h.segments[0]!;
    const corrupt = Buffer.from(s.bytes);
    corrupt[1234] ^= 0xff;
    const res = await patch(H, s.file, 0, corrupt, s.bytes);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('SHA256_MISMATCH');
    expect(await head(H, s.file)).toBe(0);
    expect((await (await fetch(`${base()}/hearings/${H}`, { headers: OFF })).json()).segments).toEqual([]);
    expect((await patch(H, s.file, 0, s.bytes, s.bytes)).status).toBe(200); // the room retries: accepted
  });

  it('refuses a manifest with a forged signature, a rewritten one, and other rooms', async () => {
    const h = await (await hub.recording(rec)).open();
    const H = h.hearing;
    await h.segment(1000);
    await h.segment(1000);
    const lines = h.manifestText().split('\n');
    const e = JSON.parse(lines[1]!);
    e.sig = Buffer.alloc(64, 7).toString('base64');
    lines[1] = JSON.stringify(e);
    const res = await fetch(`${base()}/hearings/${H}/manifest`, { method: 'PUT', headers: ROOM, body: lines.join('\n') });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/entry 1: signature does not verify/);
    // a good one, then one that rewrites history (another key) → 409
    expect((await fetch(`${base()}/hearings/${H}/manifest`, { method: 'PUT', headers: ROOM, body: h.manifestText() })).status).toBe(200);
    const other = await new FakeHearing(tmp('rec2-'), H, 'room-demo').open();
    await other.segment(1000);
    await other.segment(1000);
    await other.segment(1000);
    const rewrite = await fetch(`${base()}/hearings/${H}/manifest`, { method: 'PUT', headers: ROOM, body: other.manifestText() });
    expect(rewrite.status).toBe(409);
    expect(((await rewrite.json()) as { code: string }).code).toBe('MANIFEST_REWRITE');
    // room-2 may not touch room-demo's recording; no token → 401; a room token cannot read
    expect((await patch(H, 'seg-00000.mkv', 0, Buffer.from('x'), Buffer.from('x'), ROOM2)).status).toBe(403);
    expect((await patch(H, 'seg-00000.mkv', 0, Buffer.from('x'), Buffer.from('x'), { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await fetch(`${base()}/hearings`, { headers: ROOM })).status).toBe(403); // a room is known, but no officer
  });

  it('appends a manifest tail at the archived offset, refuses a wrong offset', async () => {
    const h = await (await hub.recording(rec)).open();
    const H = h.hearing;
    await h.segment(1000);
    const first = Buffer.from(h.manifestText());
    expect((await fetch(`${base()}/hearings/${H}/manifest`, { method: 'PUT', headers: ROOM, body: first })).status).toBe(200);
    await h.segment(1000);
    const all = Buffer.from(h.manifestText());
    const wrong = await fetch(`${base()}/hearings/${H}/manifest`, {
      method: 'PUT',
      headers: { ...ROOM, 'upload-offset': '5' },
      body: all.subarray(5),
    });
    expect(wrong.status).toBe(409);
    const ok = await fetch(`${base()}/hearings/${H}/manifest`, {
      method: 'PUT',
      headers: { ...ROOM, 'upload-offset': String(first.length) },
      body: all.subarray(first.length),
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Receipt).sha256).toBe(sha256Hex(all));
  });

  it('documents its routes in /docs/json', async () => {
    const doc = (await (await fetch(`${hub.url}/docs/json`, { headers: OFF })).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/v1/archive/hearings/{h}/files/{name}']!)).toEqual(expect.arrayContaining(['patch', 'get'])); // @fastify/swagger leaves HEAD routes out
    expect(doc.paths).toHaveProperty(['/api/v1/archive/hearings/{h}/manifest']);
  });
});
