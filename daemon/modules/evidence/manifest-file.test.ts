import { mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest, verifyChain } from '../../../common/evidence/index.js';
import { rfcKey, segment } from '../../../common/evidence/test/chain-fixture.js';
import { createManifestFile, createManifestWriter, HearingClosedError, SegmentRefusedError } from './manifest-file.js';

const read = (path: string) => parseManifest(readFileSync(path, 'utf8'));

describe('manifest file', () => {
  it('creates the open entry, appends chained, signed, fsynced lines', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mf-')), 'hearing-1');
    const m = createManifestFile(dir, rfcKey(), { room: 'room-a' });
    const e = await m.append(segment(0));
    expect(e).toMatchObject({ seq: 1, kind: 'segment', hearing: 'hearing-1' });
    await m.append(segment(1));
    const { entries, errors } = read(m.path);
    expect(errors).toEqual([]);
    expect(entries[0]).toMatchObject({ kind: 'open', room: 'room-a', seq: 0 });
    expect(verifyChain(entries, { publicKeyRaw: rfcKey().publicKeyRaw })).toMatchObject({ ok: true, totalDurationMs: 20_000 });
    expect(statSync(m.path).mode & 0o077 & ~0o040).toBe(0);
    expect((await m.last())?.seq).toBe(2);
  });

  it('two writers on one file (book + recorder) never fork the chain', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mf-')), 'h');
    const a = createManifestFile(dir, rfcKey());
    const b = createManifestWriter({ recordingsDir: join(dir, '..'), key: rfcKey, room: 'room-a' });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 ? b.append('h', { kind: 'book', file: 'book.json', sha256: 'cd'.repeat(32) }) : a.append(segment(i / 2)),
      ),
    );
    const { entries } = read(a.path);
    expect(entries).toHaveLength(41);
    expect(entries.filter((e) => e.kind === 'open')).toHaveLength(1);
    expect(verifyChain(entries).ok).toBe(true);
  });

  it('cuts a torn last line before appending, refuses after close', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mf-')), 'h');
    const m = createManifestFile(dir, rfcKey());
    await m.append(segment(0));
    appendFileSync(m.path, '{"v":1,"seq":2,"kind":"seg'); // crash mid-write
    await m.append(segment(1));
    const { entries, errors } = read(m.path);
    expect(errors).toEqual([]);
    expect(verifyChain(entries).ok).toBe(true);
    await m.append({ kind: 'close', end: segment(1).kind === 'segment' ? (segment(1) as { end: string }).end : '' });
    await expect(m.append(segment(2))).rejects.toBeInstanceOf(HearingClosedError);
    expect(read(m.path).entries).toHaveLength(4);
  });

  it('refuses to extend a manifest whose last line is garbage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-'));
    writeFileSync(join(dir, 'manifest.jsonl'), 'garbage\n');
    await expect(createManifestFile(dir, rfcKey()).append(segment(0))).rejects.toThrow(/refusing/);
  });

  it("refuses a segment that would break the chain's rules, and the chain stays verifiable", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mf-')), 'h');
    const m = createManifestFile(dir, rfcKey());
    await m.append(segment(0));
    await m.append(segment(1));
    // Seen with two workers writing one directory: a file entered twice, times going backwards, 43 s of media in a 2 s file.
    await expect(m.append(segment(1, { file: 'seg-00000.mkv' }))).rejects.toThrow(/seg-00000\.mkv is already entered/);
    await expect(m.append(segment(0, { file: 'seg-00002.mkv' }))).rejects.toThrow(/go backwards/);
    await expect(m.append(segment(2, { durationMs: 43_000 }))).rejects.toBeInstanceOf(SegmentRefusedError);
    expect(read(m.path).entries).toHaveLength(3);
    await m.append(segment(2));
    expect(verifyChain(read(m.path).entries).ok).toBe(true);
  });
});
