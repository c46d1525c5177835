import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest, verifyChain } from '../../../common/evidence/index.js';
import { rfcKey, segment } from '../../../common/evidence/test/chain-fixture.js';
import { readChain } from './manifest-chain.js';
import { createManifestFile } from './manifest-file.js';

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1);

describe('manifest chain (incremental read)', () => {
  it('reads only the bytes after what it has read: an earlier line changed in place is not read again', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mc-')), 'h');
    const m = createManifestFile(dir, rfcKey());
    for (let i = 0; i < 3; i++) await m.append(segment(i));
    const before = await readChain(m.path);
    expect([...before.segments.files]).toEqual(['seg-00000.mkv', 'seg-00001.mkv', 'seg-00002.mkv']);
    // rename a file inside line 2 (same length): a whole read would see seg-00009.mkv, an incremental one does not
    writeFileSync(m.path, readFileSync(m.path, 'utf8').replace('seg-00001.mkv', 'seg-00009.mkv'));
    expect([...(await readChain(m.path)).segments.files]).toContain('seg-00001.mkv');
  });

  it('extends from the last line on disk when the file grew by another writer, and reads a replaced file whole', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mc-')), 'h');
    const m = createManifestFile(dir, rfcKey());
    await m.append(segment(0));
    const other = join(mkdtempSync(join(tmpdir(), 'mc-')), 'h');
    const o = createManifestFile(other, rfcKey());
    for (let i = 0; i < 4; i++) await o.append(segment(i));
    // another writer's lines (here: a copy of a longer chain of the same hearing) appear after ours
    appendFileSync(m.path, `${lines(o.path).slice(2).join('\n')}\n`);
    expect((await readChain(m.path)).last?.seq).toBe(4);
    // a replaced file (another inode), shorter than what was read: read whole
    writeFileSync(`${m.path}.new`, `${lines(o.path).slice(0, 2).join('\n')}\n`);
    renameSync(`${m.path}.new`, m.path);
    const chain = await readChain(m.path);
    expect(chain.last?.seq).toBe(1);
    expect([...chain.segments.files]).toEqual(['seg-00000.mkv']);
    await m.append(segment(1));
    expect(verifyChain(parseManifest(readFileSync(m.path, 'utf8')).entries).ok).toBe(true);
  });

  it('a long hearing: 300 appends stay one verifiable chain and the last entry is the one on disk', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mc-')), 'h');
    const m = createManifestFile(dir, rfcKey());
    for (let i = 0; i < 300; i++) await m.append(segment(i));
    const { entries, errors } = parseManifest(readFileSync(m.path, 'utf8'));
    expect(errors).toEqual([]);
    expect(verifyChain(entries).ok).toBe(true);
    expect((await m.last())?.seq).toBe(300);
  });
});
