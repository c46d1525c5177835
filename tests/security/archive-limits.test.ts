import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../common/evidence/index.js';
import { OFFICER, startArchiveHub, tmp } from '../../hub/archive/test/fake-hearing.js';

// Issue 10, low findings of the hub archive, as an attacker (or a broken room) would try them: a reversed
// Range, a segment that is not MPEG-TS handed to ffmpeg, many remuxes at once, an unbounded Upload-Length,
// a room filling the disk, and archive files readable by every user of the hub machine.

// Rooms are enrolled boxes (their token); each name below is a recording of a hub hearing the room took part in.
let ROOM = { authorization: '' };
let ROOM2 = { authorization: '' };
const ID: Record<string, string> = {};
const OFF = { authorization: `Bearer ${OFFICER}` };
const MiB = 1048576;

let hub: Awaited<ReturnType<typeof startArchiveHub>>;
let stateDir: string;
const base = () => `${hub.url}/api/v1/archive`;
const fileUrl = (h: string, f: string) => `${base()}/hearings/${h}/files/${f}`;
const patch = (h: string, f: string, data: Buffer, length = data.length, headers = ROOM, offset = 0, sha = sha256Hex(data)) =>
  fetch(fileUrl(h, f), {
    method: 'PATCH',
    headers: {
      ...headers,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'upload-length': String(length),
      'upload-sha256': sha,
    },
    body: new Uint8Array(data),
  });

// A fake ffmpeg first on PATH: it writes its arguments down and waits (a long remux), so the test sees
// what the hub asks of ffmpeg and can hold remux slots open.
const fakeBin = tmp('fake-ffmpeg-');
const argsFile = join(fakeBin, 'args');
const hold = join(fakeBin, 'hold'); // while it exists, a fake remux runs
const realPath = process.env.PATH;

beforeAll(async () => {
  writeFileSync(hold, '');
  writeFileSync(
    join(fakeBin, 'ffmpeg'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nprintf 'x'\nwhile [ -e '${hold}' ]; do sleep 0.1; done\n`,
  );
  chmodSync(join(fakeBin, 'ffmpeg'), 0o755);
  process.env.PATH = `${fakeBin}:${realPath}`;
  stateDir = tmp('hub-sec-');
  hub = await startArchiveHub(stateDir, 0, 1, { maxFileMb: 1, roomQuotaMb: 2, maxRemux: 1 });
  ROOM = { authorization: `Bearer ${(await hub.box('room-demo')).token}` };
  ROOM2 = { authorization: `Bearer ${(await hub.box('room-2')).token}` };
  for (const n of ['h-sec', 'h-big', 'h-q1', 'h-q2']) ID[n] = `${hub.hubHearing(['room-demo'])}.room-demo`;
  for (const n of ['h-r2', 'h-mode']) ID[n] = `${hub.hubHearing(['room-2'])}.room-2`;
  expect((await patch(ID['h-sec'], 'seg-00000.ts', Buffer.alloc(1000, 7))).status).toBe(200);
});
afterAll(async () => {
  process.env.PATH = realPath;
  rmSync(hold, { force: true });
  await hub.stop();
});

describe('hub archive: low findings of issue 10', () => {
  it('a reversed Range is 416 with Content-Range bytes */size, not 500', async () => {
    for (const range of ['bytes=5-2', 'bytes=1000-', 'bytes=2000-3000']) {
      const r = await fetch(fileUrl(ID['h-sec'], 'seg-00000.ts'), { headers: { ...OFF, range } });
      expect(r.status, range).toBe(416);
      expect(r.headers.get('content-range')).toBe('bytes */1000');
      expect(((await r.json()) as { code: string }).code).toBe('BAD_RANGE');
    }
    const ok = await fetch(fileUrl(ID['h-sec'], 'seg-00000.ts'), { headers: { ...OFF, range: 'bytes=2-5' } });
    expect(ok.status).toBe(206);
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(Buffer.alloc(4, 7));
  });

  it('ffmpeg is told the input is MPEG-TS (no auto-detect), and remuxes are capped: 503 + Retry-After past the cap', async () => {
    const r1 = await fetch(`${fileUrl(ID['h-sec'], 'seg-00000.ts')}?format=mp4`, { headers: OFF });
    expect(r1.status).toBe(200);
    const reader = r1.body!.getReader();
    await reader.read(); // ffmpeg runs
    const args = readFileSync(argsFile, 'utf8').trim().split('\n');
    const input = args.indexOf('-i');
    expect(args.slice(input - 2, input)).toEqual(['-f', 'mpegts']);
    expect(args[input + 1]).toBe(join(stateDir, 'archive', ID['h-sec'], 'seg-00000.ts'));

    const r2 = await fetch(`${fileUrl(ID['h-sec'], 'seg-00000.ts')}?format=mp4`, { headers: OFF });
    expect(r2.status).toBe(503);
    expect(Number(r2.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await r2.json()) as { code: string }).code).toBe('REMUX_BUSY');
    // downloads are not remuxes: still served
    const download = await fetch(fileUrl(ID['h-sec'], 'seg-00000.ts'), { headers: OFF });
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(1000);

    rmSync(hold); // the first remux ends: its slot is free again
    while (!(await reader.read()).done);
    await expect
      .poll(async () => {
        const again = await fetch(`${fileUrl(ID['h-sec'], 'seg-00000.ts')}?format=mp4`, { headers: OFF });
        await again.arrayBuffer();
        return again.status;
      })
      .toBe(200);
  });

  it('Upload-Length past the per-file maximum is 413 with the reason, before anything is stored', async () => {
    const r = await patch(ID['h-big'], 'seg-00000.ts', Buffer.alloc(10), MiB + 1);
    expect(r.status).toBe(413);
    const body = (await r.json()) as { code: string; message: string };
    expect(body.code).toBe('FILE_TOO_LARGE');
    expect(body.message).toContain(String(MiB));
    expect((await fetch(`${base()}/hearings/${ID['h-big']}`, { headers: OFF })).status).toBe(404);
    const huge = await patch(ID['h-big'], 'seg-00000.ts', Buffer.alloc(10), Number.MAX_SAFE_INTEGER);
    expect(huge.status).toBe(413);
  });

  it("a room's declared and archived bytes stay within its quota (413 QUOTA_EXCEEDED); other rooms are not affected", async () => {
    // room-demo has 1000 bytes (h-sec); quota 2 MiB
    const whole = Buffer.alloc(MiB, 1);
    expect((await patch(ID['h-q1'], 'seg-00000.ts', whole)).status).toBe(200);
    // a declared upload counts from its first chunk
    const declared = Buffer.alloc(MiB - 1000, 2);
    expect((await patch(ID['h-q2'], 'seg-00000.ts', declared.subarray(0, 10), declared.length, ROOM, 0, sha256Hex(declared))).status).toBe(
      204,
    );
    const over = await patch(ID['h-q2'], 'seg-00001.ts', Buffer.alloc(1, 3));
    expect(over.status).toBe(413);
    const body = (await over.json()) as { code: string; message: string };
    expect(body.code).toBe('QUOTA_EXCEEDED');
    expect(body.message).toContain('room-demo');
    // the declared upload itself still resumes and completes (not counted twice)
    const rest = await patch(ID['h-q2'], 'seg-00000.ts', declared.subarray(10), declared.length, ROOM, 10, sha256Hex(declared));
    expect(rest.status).toBe(200);
    expect((await patch(ID['h-r2'], 'seg-00000.ts', Buffer.alloc(1000, 4), 1000, ROOM2)).status).toBe(200);
  });

  it('archive files are 0640 and directories 0750 (not world-readable)', async () => {
    expect((await patch(ID['h-mode'], 'seg-00000.ts', Buffer.alloc(100, 5), 200, ROOM2)).status).toBe(204);
    const dir = join(stateDir, 'archive');
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(dir)).toBe(0o750);
    expect(mode(join(dir, ID['h-mode']))).toBe(0o750);
    expect(mode(join(dir, ID['h-mode'], '.partial'))).toBe(0o750);
    expect(mode(join(dir, ID['h-mode'], '.partial', 'seg-00000.ts'))).toBe(0o640);
    expect(mode(join(dir, ID['h-mode'], '.index.json'))).toBe(0o640);
    expect(mode(join(dir, ID['h-sec'], 'seg-00000.ts'))).toBe(0o640);
  });
});
