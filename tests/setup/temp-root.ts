import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One temp root per test run: every test file, and every process a test starts (GStreamer, Chromium,
// PostgreSQL, the built hub), inherits TMPDIR and makes its dirs under it; the run removes it at the end,
// so a test that forgets its temp dir (or dies before its afterAll) leaves nothing behind on the box.
// World-writable and sticky like /tmp: PostgreSQL's test clusters run as the `postgres` user.

export default function setup(): () => void {
  // Each project inherits this setup: the first one to run makes the root, the others use it.
  if (process.env.TMPDIR?.includes('reception-tests-')) return () => {};
  const root = mkdtempSync(join(tmpdir(), 'reception-tests-'));
  chmodSync(root, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
