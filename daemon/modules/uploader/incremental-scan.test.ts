import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApplianceKey, sha256Hex, signReceipt } from '../../../common/evidence/index.js';
import { FakeHearing } from '../../../hub/archive/test/fake-hearing.js';
import { createFileDigests } from './file-digest.js';
import { readReceipts } from './receipt-book.js';
import { createScanner } from './scan.js';
import { testDirs } from './test/fixture.js';

// Issue 12 soak: the uploader re-read and re-hashed the whole growing manifest every 10 s (and its receipts each
// minute). Real files: what 50 looks at a growing hearing cost must grow with what was appended, not with
// the file's size times the number of looks — and the hash must still be exactly the file's SHA-256.

const { dir } = testDirs();
/** The file up to its last complete line, as the hub gets it. */
const shaOfLines = (path: string) => {
  const b = readFileSync(path);
  return sha256Hex(b.subarray(0, b.lastIndexOf(0x0a) + 1));
};

describe('incremental manifest digest (file-digest.ts)', () => {
  it('50 digests of a growing manifest: hashed bytes = the file once, reads linear; each hash is the sha256 of the file', async () => {
    const rec = dir('digest-');
    const h = await new FakeHearing(rec, 'h-grow', 'room-demo').open();
    const path = join(rec, 'h-grow', 'manifest.jsonl');
    const d = createFileDigests();
    let sent = 0;
    let sumOfSizes = 0; // what whole re-reads cost (before the fix)
    for (let i = 0; i < 50; i++) {
      for (let k = 0; k < 8; k++) await h.segment(64, 2000);
      if (i % 7 === 3) appendFileSync(path, '{"torn":'); // a torn last line is not hashed yet…
      const got = await d.digest(path, sent);
      expect(got?.sha256).toBe(shaOfLines(path));
      expect(got?.tail.equals(readFileSync(path).subarray(sent, got.bytes))).toBe(true); // …nor sent
      sent = got!.bytes;
      sumOfSizes += statSync(path).size;
      if (i % 7 === 3) writeFileSync(path, readFileSync(path).subarray(0, sent)); // the recorder cuts it off
    }
    const size = statSync(path).size;
    expect(d.stats.bytesHashed).toBeLessThanOrEqual(size + 3 * 4096); // + the few re-hashes after a cut-off
    expect(d.stats.bytesRead).toBeLessThanOrEqual(size + 50 * 4096 + 3 * size); // linear: the new bytes + a 4 KB window a look
    expect(d.stats.bytesRead * 3).toBeLessThan(sumOfSizes);
  }, 60_000);

  it('digests asked at once (the rescan while an upload runs) feed the hash each byte once', async () => {
    const rec = dir('digest-');
    const h = await new FakeHearing(rec, 'h-both', 'room-demo').open();
    const path = join(rec, 'h-both', 'manifest.jsonl');
    const d = createFileDigests();
    for (let i = 0; i < 10; i++) {
      for (let k = 0; k < 5; k++) await h.segment(64, 2000);
      const all = await Promise.all([d.digest(path, 0), d.digest(path), d.digest(path, 100), d.digest(path)]);
      for (const got of all) expect(got?.sha256).toBe(shaOfLines(path));
    }
    expect(d.stats.bytesHashed).toBe(statSync(path).size);
  });

  it('a file rewritten instead of appended to is hashed whole again (same size, new inode, shorter, changed tail)', async () => {
    const rec = dir('digest-');
    const h = await new FakeHearing(rec, 'h-rw', 'room-demo').open();
    const path = join(rec, 'h-rw', 'manifest.jsonl');
    for (let k = 0; k < 30; k++) await h.segment(64, 2000);
    const d = createFileDigests();
    const check = async () => {
      const before = d.stats.fullHashes;
      expect((await d.digest(path))?.sha256).toBe(shaOfLines(path));
      return d.stats.fullHashes - before;
    };
    expect(await check()).toBe(1);
    expect(await check()).toBe(0); // unchanged: nothing read
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, 'X' + text.slice(1)); // same size, first byte changed in place
    expect(await check()).toBe(1);
    writeFileSync(path + '.new', text + text.split('\n')[0] + '\n');
    renameSync(path + '.new', path); // replaced (another inode), longer
    expect(await check()).toBe(1);
    writeFileSync(path, text.slice(0, text.length / 2)); // shorter
    expect(await check()).toBe(1);
    writeFileSync(path, text);
    await check();
    writeFileSync(path, text.slice(0, -40) + 'Y'.repeat(39) + '\n' + text.split('\n')[1] + '\n'); // last line changed, then grown
    expect(await check()).toBe(1);
  });
});

describe('scan of a growing hearing (scan.ts with its caches)', () => {
  it('50 rescans: manifest and receipts read once plus what was appended; the same answer as a fresh scan', async () => {
    const rec = dir('scan-');
    const hub = generateApplianceKey();
    const h = await new FakeHearing(rec, 'h-live', 'room-demo').open();
    const hdir = join(rec, 'h-live');
    const scanner = createScanner();
    let sumOfSizes = 0;
    for (let i = 0; i < 50; i++) {
      for (let k = 0; k < 4; k++) await h.segment(64, 2000);
      for (const s of h.segments.slice(-4, -1)) {
        const r = signReceipt(
          { hearing: 'h-live', file: s.file, sha256: sha256Hex(s.bytes), bytes: s.bytes.length, receivedAt: new Date().toISOString() },
          hub.privateKeyPem,
        );
        appendFileSync(join(hdir, 'receipts.jsonl'), JSON.stringify(r) + '\n');
      }
      const got = await scanner.pendingOf(rec, 'h-live', hub.publicKeyRaw);
      expect(got).toEqual(await createScanner().pendingOf(rec, 'h-live', hub.publicKeyRaw));
      const unreceipted = h.segments.filter((_, n) => n % 4 === 3).map((s) => s.file);
      expect(got.filter((p) => p.kind === 'segment').map((p) => p.file)).toEqual(unreceipted);
      sumOfSizes += statSync(join(hdir, 'manifest.jsonl')).size;
    }
    const size = statSync(join(hdir, 'manifest.jsonl')).size;
    const receipts = statSync(join(hdir, 'receipts.jsonl')).size;
    expect(scanner.digests.stats.bytesHashed).toBe(size);
    expect(scanner.digests.stats.bytesRead).toBeLessThanOrEqual(size + 50 * 4096);
    expect(scanner.digests.stats.bytesRead * 3).toBeLessThan(sumOfSizes);
    expect(scanner.receipts.stats.bytesRead).toBeLessThanOrEqual(receipts + 50 * 256);
    expect(scanner.receipts.stats.linesVerified).toBe(150);
    expect([...(await scanner.receipts.read(hdir, hub.publicKeyRaw))]).toEqual([...(await readReceipts(hdir, hub.publicKeyRaw))]);
  }, 60_000); // a ceiling: 1.9 s at load 3, over 20 s at load 20
});
