import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { openBookOutbox } from '../../hub/fleet/book-outbox-file.js';

// The hub's book outbox holds citizens' identities in clear. Its bytes must never sit in a file other
// users can read, not even between the write and a chmod: the file is created 0600.

describe('hub book outbox: 0600 from the first byte', () => {
  it('the temp file the bytes are written to is already 0600 (seen by making the final rename fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-mode-'));
    const file = join(dir, 'book-outbox.json');
    const outbox = await openBookOutbox(file, silentLogger());
    // A non-empty directory where the document goes: the write lands in the temp file, the rename fails,
    // and the temp file is left as it was written.
    mkdirSync(file);
    writeFileSync(join(file, 'x'), '');
    const umask = process.umask(0o022);
    try {
      await expect(outbox.save([])).rejects.toThrow();
    } finally {
      process.umask(umask);
    }
    expect(statSync(join(dir, '.book-outbox.json.tmp')).mode & 0o777).toBe(0o600);
  });

  it('a normal save leaves only the document, 0600, and an old 0644 file is tightened at open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-mode-'));
    const file = join(dir, 'book-outbox.json');
    writeFileSync(file, JSON.stringify({ version: 1, entries: [] }), { mode: 0o644 });
    const outbox = await openBookOutbox(file, silentLogger());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await outbox.save([]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => statSync(join(dir, '.book-outbox.json.tmp'))).toThrow();
  });
});
