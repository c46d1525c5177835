import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, sealBook, serializeBook, sha256Hex, signHash, type EntryBody } from '../../common/evidence/index.js';
import { sampleBook } from '../../common/evidence/test/chain-fixture.js';
import { createManifestFile } from '../../daemon/modules/evidence/manifest-file.js';
import { CLI } from '../helpers/room-processes.js';

// `reception verify` as a process, against a hearing directory built here (fake segment bytes).

const exec = promisify(execFile);
const run = (...args: string[]) =>
  exec(process.execPath, [CLI, 'verify', ...args], { timeout: 15_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const T0 = Date.parse('2024-05-06T07:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const key = generateApplianceKey();
/** With the room's enrolled key (`--key`; without one the signing key is unconfirmed), unless the test gives its own. */
const verify = (...args: string[]) =>
  run(...(args.length > 0 && !args.includes('--key') ? [...args, '--key', key.publicKeyRaw.toString('base64')] : args));
const root = mkdtempSync(join(tmpdir(), 'verify-cli-'));
const good = join(root, 'hearing-42');

/** A copy of the good hearing to damage. */
function copy(name: string) {
  const dir = join(root, name);
  cpSync(good, dir, { recursive: true });
  return dir;
}
const seg = (dir: string, i: number) => join(dir, `seg-0000${i}.mkv`);

describe('reception verify', () => {
  beforeAll(async () => {
    mkdirSync(good);
    const m = createManifestFile(good, key, { room: 'room-a' });
    const addSegment = async (i: number, startS: number) => {
      const bytes = randomBytes(2000 + i);
      writeFileSync(seg(good, i), bytes);
      await m.append({
        kind: 'segment',
        file: `seg-0000${i}.mkv`,
        sha256: sha256Hex(bytes),
        bytes: bytes.length,
        durationMs: 10_000,
        start: at(startS),
        end: at(startS + 10),
      });
    };
    await addSegment(0, 0);
    await addSegment(1, 10);
    const book = serializeBook(sealBook(sampleBook(), randomBytes(32)));
    writeFileSync(join(good, 'book.json'), book);
    await m.append({ kind: 'book', file: 'book.json', sha256: sha256Hex(book) });
    await addSegment(2, 20);
    await m.append({ kind: 'gap', start: at(30), end: at(50), reason: 'camera-slate' } as EntryBody);
    await addSegment(3, 50);
    await addSegment(4, 60);
    await m.append({ kind: 'close', end: at(70) });
  });

  it('an intact hearing: exit 0, Vietnamese then English report, gaps with reason and duration; --json', async () => {
    const r = await verify(good);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/KẾT QUẢ: NGUYÊN VẸN \/ RESULT: INTACT/);
    expect(r.stdout).toMatch(/Đoạn ghi \/ Segments: 5 .*00:00:50/);
    expect(r.stdout).toContain('(20.0 s): mất tín hiệu camera (màn hình chờ) / camera-slate');
    expect(r.stdout).toContain(key.publicKeyRaw.toString('base64'));
    const j = JSON.parse((await verify(good, '--json')).stdout);
    expect(j).toMatchObject({
      ok: true,
      hearing: 'hearing-42',
      room: 'room-a',
      closed: true,
      totalDurationMs: 50_000,
      book: 'matches',
      gaps: [{ reason: 'camera-slate', durationMs: 20_000 }],
    });
    expect((await verify(good, '--key', key.publicKeyRaw.toString('base64'))).code).toBe(0);
  });

  it('one flipped byte in one segment: exit 1 naming it', async () => {
    const dir = copy('flip');
    const b = readFileSync(seg(dir, 3));
    b[100] ^= 0x01;
    writeFileSync(seg(dir, 3), b);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('seg-00003.mkv: SHA-256 mismatch');
    expect(r.stdout).toContain('KHÔNG NGUYÊN VẸN / RESULT: NOT INTACT — seg-00003.mkv: SHA-256 mismatch');
  });

  it('a deleted segment, an extended segment', async () => {
    const dir = copy('deleted');
    rmSync(seg(dir, 1));
    writeFileSync(seg(dir, 4), Buffer.concat([readFileSync(seg(dir, 4)), Buffer.from([0])]));
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('seg-00001.mkv: missing'); // the first of the two
    expect(r.stdout).toContain('seg-00004.mkv: size');
  });

  it('a truncated manifest: mid-line, or whole lines dropped', async () => {
    const torn = copy('torn');
    const text = readFileSync(join(torn, 'manifest.jsonl'), 'utf8');
    writeFileSync(join(torn, 'manifest.jsonl'), text.slice(0, -40));
    const r1 = await verify(torn);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/manifest.jsonl line 9/);
    const cut = copy('cut');
    writeFileSync(join(cut, 'manifest.jsonl'), text.split('\n').slice(0, 6).join('\n') + '\n'); // open … gap
    const r2 = await verify(cut);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('seg-00003.mkv: not in the manifest');
  });

  it('a forged signature, and a chain signed by a key that is not the enrolled one', async () => {
    const dir = copy('forged');
    const lines = readFileSync(join(dir, 'manifest.jsonl'), 'utf8').split('\n');
    const e = JSON.parse(lines[2]);
    e.sig = signHash(e.hash, generateApplianceKey().privateKeyPem);
    lines[2] = JSON.stringify(e);
    writeFileSync(join(dir, 'manifest.jsonl'), lines.join('\n'));
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('manifest.jsonl seq 2: signature does not verify');
    const other = await verify(good, '--key', generateApplianceKey().publicKeyRaw.toString('base64'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('seq 0: open.publicKey is not the enrolled appliance key');
  });

  it('an edited book.json', async () => {
    const dir = copy('book');
    const book = JSON.parse(readFileSync(join(dir, 'book.json'), 'utf8'));
    book.handling = 'Không xử lý';
    writeFileSync(join(dir, 'book.json'), JSON.stringify(book, null, 2) + '\n');
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('book.json: does not match the newest book entry (seq 3)');
  });

  it('usage errors exit 2', async () => {
    expect((await verify()).code).toBe(2);
    expect((await verify(join(root, 'nope'))).code).toBe(2);
    expect((await verify(good, '--bogus')).code).toBe(2);
    expect((await verify(good, '--key', 'abc')).code).toBe(2);
  });
});
