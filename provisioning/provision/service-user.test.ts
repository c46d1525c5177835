import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handOver, serviceUser } from './service-user.js';

// What provision wrote as root goes to the service user (here `nobody`, which every Debian box has); a
// symlink is not followed out of the tree. Without root there is nothing to hand over.

describe.skipIf(process.getuid?.() !== 0)('provision: hand-over to the service user (root)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handover-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('chowns the tree, not what a symlink points at; an unknown user changes nothing', async () => {
    const outside = join(dir, 'outside');
    writeFileSync(outside, 'x');
    mkdirSync(join(dir, 'state', 'keys'), { recursive: true });
    writeFileSync(join(dir, 'state', 'keys', 'enrollment.json'), '{}');
    symlinkSync(outside, join(dir, 'state', 'link'));
    const nobody = serviceUser('nobody')!;
    expect(nobody.uid).toBeGreaterThan(0);
    await handOver([join(dir, 'state')], 'nobody');
    expect(statSync(join(dir, 'state', 'keys', 'enrollment.json')).uid).toBe(nobody.uid);
    expect(statSync(join(dir, 'state')).uid).toBe(nobody.uid);
    expect(statSync(outside).uid).toBe(0);
    expect(serviceUser('no-such-user-here')).toBeUndefined();
  });
});
