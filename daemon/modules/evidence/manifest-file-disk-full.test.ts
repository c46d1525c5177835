import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, parseManifest, verifyChain } from '../../../common/evidence/index.js';
import { createManifestFile } from './manifest-file.js';

// A full disk takes part of a manifest line without an error: the rest of the file's last page. Seen in the chaos
// run (disk-full): the entry was taken as written, the next append cut the torn line off, the segment was gone
// from the manifest. On a real filesystem (a 1 MiB tmpfs, root): an entry is whole on disk or refused (ENOSPC).
const root = process.getuid?.() === 0;

describe.skipIf(!root)('manifest on a full disk (root: tmpfs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-enospc-'));
  afterAll(() => {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an append that does not fit is refused and leaves the file as it was; after space returns the chain goes on whole', async () => {
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'manifest-enospc', dir]).status).toBe(0);
    const key = generateApplianceKey();
    const manifest = createManifestFile(join(dir, 'h1'), key, { room: 'room-a', hearing: 'h1' });
    const gap = (i: number) =>
      manifest.append({
        kind: 'gap',
        start: new Date(1e12 + i * 1000).toISOString(),
        end: new Date(1e12 + i * 1000 + 500).toISOString(),
        reason: 'camera-slate',
      });
    // Fill the manifest's last page to within less than one entry of its end, then every other page of the disk.
    await gap(0);
    const entryBytes = statSync(manifest.path).size; // open + one gap: an entry is under this
    for (let i = 1; statSync(manifest.path).size % 4096 < 4096 - entryBytes / 2; i++) await gap(i);
    const filler = join(dir, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(4096));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    const before = readFileSync(manifest.path);
    await expect(gap(1000)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readFileSync(manifest.path)).toEqual(before); // no torn line left behind
    unlinkSync(filler);
    await gap(1001);
    const { entries } = parseManifest(readFileSync(manifest.path, 'utf8'));
    expect(entries.at(-1)).toMatchObject({ kind: 'gap', start: new Date(1e12 + 1001 * 1000).toISOString() });
    expect(verifyChain(entries, { publicKeyRaw: key.publicKeyRaw }).ok).toBe(true);
  });
});
