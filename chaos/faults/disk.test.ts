// Disk faults for real (root): an 8 MiB tmpfs filled to ENOSPC and freed; a directory made read-only
// (EROFS) and writable again — here and inside another process's private mount namespace (nsenter), as
// the chaos runner does for the room daemon's namespace.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiskFull, createReadOnly, diskSpace, inMountNamespaceOf, mountTmpfs, run } from './disk.js';

const root = process.getuid?.() === 0;
const here = inMountNamespaceOf(() => undefined);

describe.skipIf(!root)('disk faults (root)', () => {
  const dir = mkdtempSync(join(tmpdir(), `chz-q-${process.pid}-disk-`));
  let tmpfs: Awaited<ReturnType<typeof mountTmpfs>> | undefined;
  beforeAll(async () => {
    tmpfs = await mountTmpfs(here, dir, 8);
  });
  afterAll(async () => {
    await tmpfs?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('disk full: the filler takes every byte (a write fails ENOSPC), freed: writes again', async () => {
    writeFileSync(join(dir, 'before.ts'), Buffer.alloc(100_000));
    const full = createDiskFull(here, dir);
    const took = await full.fill();
    expect(took).toBeGreaterThan(7 * 1024 * 1024);
    expect((await diskSpace(here, dir)).availBytes).toBe(0);
    expect(() => writeFileSync(join(dir, 'seg.ts'), Buffer.alloc(64 * 1024))).toThrow(/ENOSPC/);
    await full.free();
    expect((await diskSpace(here, dir)).availBytes).toBeGreaterThan(7 * 1024 * 1024);
    writeFileSync(join(dir, 'seg.ts'), Buffer.alloc(64 * 1024));
  });

  it('read-only and back: EROFS, then writable; clear() twice is harmless', async () => {
    const ro = createReadOnly(here, dir);
    await ro.set();
    expect(() => writeFileSync(join(dir, 'ro.ts'), 'x')).toThrow(/EROFS/);
    await ro.clear();
    await ro.clear();
    writeFileSync(join(dir, 'rw.ts'), 'x');
  });

  it("inside another process's private mount namespace: the fault is there, not here", async () => {
    const other = spawn('unshare', ['-m', '--propagation', 'private', 'sleep', '600'], { stdio: 'ignore' });
    try {
      const pid = other.pid!;
      const there = inMountNamespaceOf(() => pid);
      // unshare has exec'd sleep once /proc/<pid>/ns/mnt differs from ours
      for (let i = 0; i < 200; i++) {
        const [a, b] = await Promise.all([run('readlink', [`/proc/${pid}/ns/mnt`]), run('readlink', ['/proc/self/ns/mnt'])]);
        if (a.code === 0 && a.stdout !== b.stdout) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const ro = createReadOnly(there, dir);
      await ro.set();
      expect((await there('touch', [join(dir, 'there.ts')])).code).not.toBe(0);
      writeFileSync(join(dir, 'here.ts'), 'x'); // our namespace is untouched
      await ro.clear();
      expect((await there('touch', [join(dir, 'there.ts')])).code).toBe(0);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
