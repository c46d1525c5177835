import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, sha256Hex, signReceipt, type Receipt } from '../../common/evidence/index.js';
import { createManifestFile } from '../../daemon/modules/evidence/manifest-file.js';
import { appendReceipt, pinKey } from '../../daemon/modules/uploader/receipt-book.js';
import { CLI } from '../helpers/room-processes.js';

// `reception verify` on a room directory where retention deleted segments the hub had receipted
// (docs/EVIDENCE.md "Verification"). Manifest, receipts and keys come from the project's own code.

const exec = promisify(execFile);
const run = (...args: string[]) =>
  exec(process.execPath, [CLI, 'verify', ...args], { timeout: 15_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const T0 = Date.parse('2024-05-06T07:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const HEARING = 'hearing-7.room-a';
const appliance = generateApplianceKey();
/** With the room's enrolled key (`--key`; without one the signing key is unconfirmed), unless the test gives its own. */
const verify = (...args: string[]) =>
  run(...(args.length > 0 && !args.includes('--key') ? [...args, '--key', appliance.publicKeyRaw.toString('base64')] : args));
const hub = generateApplianceKey();
const hubB64 = hub.publicKeyRaw.toString('base64');
const root = mkdtempSync(join(tmpdir(), 'verify-receipts-'));
const good = join(root, 'good', HEARING);
const stateDir = join(root, 'state');
const files = ['seg-00000.ts', 'seg-00001.ts', 'seg-00002.ts'];
const bytesOf = new Map<string, Buffer>();
const RECEIVED = '2024-05-06T07:00:21.000Z';

/** The room's receipt for one file, as the hub signs it. */
const receiptFor = (file: string, over: Partial<Receipt> = {}, key = hub) => {
  const b = bytesOf.get(file)!;
  return signReceipt({ hearing: HEARING, file, sha256: sha256Hex(b), bytes: b.length, receivedAt: RECEIVED, ...over }, key.privateKeyPem);
};

/** A copy of the intact hearing with seg-00001.ts deleted as retention does, and the given receipts. */
async function deleted(name: string, receipts: Receipt[]) {
  const dir = join(root, name, HEARING);
  cpSync(good, dir, { recursive: true });
  rmSync(join(dir, 'seg-00001.ts'));
  for (const r of receipts) await appendReceipt(dir, r);
  return dir;
}

describe('reception verify: segments deleted by retention, held by a hub receipt', () => {
  beforeAll(async () => {
    mkdirSync(good, { recursive: true });
    const m = createManifestFile(good, appliance, { room: 'room-a' });
    for (const [i, file] of files.entries()) {
      const b = randomBytes(3000 + i);
      bytesOf.set(file, b);
      writeFileSync(join(good, file), b);
      await m.append({
        kind: 'segment',
        file,
        sha256: sha256Hex(b),
        bytes: b.length,
        durationMs: 10_000,
        start: at(i * 10),
        end: at(i * 10 + 10),
      });
    }
    await m.append({ kind: 'close', end: at(30) });
    await pinKey(stateDir, hubB64);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a valid receipt for exactly the deleted file: intact, and says so (--hub-key, key file, --state-dir, --json)', async () => {
    const dir = await deleted('valid', [receiptFor('seg-00000.ts'), receiptFor('seg-00001.ts')]);
    const r = await verify(dir, '--hub-key', hubB64);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `seg-00001.ts: đã chuyển lên trung tâm và xoá tại phòng (biên nhận ${RECEIVED}) / seg-00001.ts: forwarded to the hub and removed locally (receipt ${RECEIVED})`,
    );
    expect(r.stdout).toContain(
      'KẾT QUẢ: NGUYÊN VẸN / RESULT: INTACT (1 đoạn chỉ còn biên nhận của trung tâm / 1 segment(s) held by hub receipt only)',
    );
    expect(r.stdout).toContain(`Hub receipt key: ${hubB64} (--hub-key)`);
    const keyFile = join(root, 'hub.key');
    writeFileSync(keyFile, hubB64 + '\n');
    expect((await verify(dir, '--hub-key', keyFile)).code).toBe(0);
    const pinned = await verify(dir, '--state-dir', stateDir);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stdout).toContain(join(stateDir, 'keys', 'hub-public.key'));
    const j = JSON.parse((await verify(dir, '--state-dir', stateDir, '--json')).stdout);
    expect(j).toMatchObject({
      ok: true,
      hubKey: { publicKey: hubB64 },
      heldByReceipt: [{ file: 'seg-00001.ts', receivedAt: RECEIVED }],
      problems: [],
    });
    expect(j.segments).toHaveLength(3);
  });

  it('deleted without a receipt, or with a receipt for another file: fails, saying why', async () => {
    for (const dir of [await deleted('none', []), await deleted('other-file', [receiptFor('seg-00000.ts'), receiptFor('seg-00002.ts')])]) {
      const r = await verify(dir, '--hub-key', hubB64);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('seg-00001.ts: missing, no hub receipt for it');
      expect(r.stdout).toContain('seg-00001.ts: thiếu tệp, không có biên nhận của trung tâm');
      expect(r.stdout).not.toContain('held by hub receipt');
      expect(JSON.parse((await verify(dir, '--hub-key', hubB64, '--json')).stdout)).toMatchObject({ ok: false, heldByReceipt: [] });
    }
  });

  it('a receipt for different bytes, a forged or altered one, one of another hearing: fails', async () => {
    const other = randomBytes(3001);
    const cases: [string, Receipt, string][] = [
      ['bytes', receiptFor('seg-00001.ts', { sha256: sha256Hex(other) }), 'its receipt is for other bytes'],
      ['size', receiptFor('seg-00001.ts', { bytes: 3002 }), 'its receipt is for other bytes'],
      ['mallory', receiptFor('seg-00001.ts', {}, generateApplianceKey()), 'its receipt is signed by another key'],
      [
        'posing',
        { ...receiptFor('seg-00001.ts', {}, generateApplianceKey()), hubKey: hubB64 },
        "its receipt's signature does not verify with the hub key",
      ],
      [
        'altered',
        { ...receiptFor('seg-00001.ts'), receivedAt: '2030-01-01T00:00:00.000Z' },
        "its receipt's signature does not verify with the hub key",
      ],
      ['hearing', receiptFor('seg-00001.ts', { hearing: 'hearing-8.room-a' }), 'its receipt is for another hearing ("hearing-8.room-a")'],
    ];
    for (const [name, receipt, why] of cases) {
      const r = await verify(await deleted(name, [receipt]), '--hub-key', hubB64);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toContain(`seg-00001.ts: missing, ${why}`);
      expect(r.stdout, name).toContain('KẾT QUẢ: KHÔNG NGUYÊN VẸN / RESULT: NOT INTACT');
    }
  });

  it('a valid receipt but no hub key to check it with: fails, naming the options; a receipt never excuses changed bytes', async () => {
    const dir = await deleted('no-key', [receiptFor('seg-00001.ts')]);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'seg-00001.ts: missing, receipts.jsonl has a receipt for it, but no hub key to check it with (--hub-key or --state-dir)',
    );
    writeFileSync(join(dir, 'seg-00001.ts'), randomBytes(3001));
    const changed = await verify(dir, '--hub-key', hubB64);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('seg-00001.ts: SHA-256 mismatch');
  });

  it('usage errors exit 2: a bad key, an unpinned state dir, both options', async () => {
    expect((await verify(good, '--hub-key', 'abc')).code).toBe(2);
    const unpinned = await verify(good, '--state-dir', join(root, 'empty-state'));
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toContain('no hub key pinned in');
    expect((await verify(good, '--hub-key', hubB64, '--state-dir', stateDir)).code).toBe(2);
  });
});
