import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES_FILE, createCodeStore } from './codes.js';
import { codeRequest, describeCodeStoreContract } from './test/codes-suite.js';

// The file backend (<stateDir>/enrollment-codes.json with its lock file): the contract
// (test/codes-suite.ts), then what only a file has. Two stores on one file are the CLI issuing into the
// state dir of a running hub that uses a code: no change is lost, whatever the interleaving.

describeCodeStoreContract('file', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'codes-')), CODES_FILE);
  return { open: async (now) => createCodeStore({ file, now }) };
});

describe('enrollment codes file', () => {
  it('keeps every code issued by two stores at once, and each use; the code itself is never in the 0600 file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'codes-')), CODES_FILE);
    const [cli, hub] = [createCodeStore({ file }), createCodeStore({ file })];
    const first = await hub.issue({ room: 'room-a', name: 'A', ttlMinutes: 60, by: 'hub' });
    const match = await hub.match(codeRequest(first.code, 'room-a'));
    expect(match.ok).toBe(true);
    // 20 codes from the CLI while the hub uses one: all must be there afterwards
    const issued = cli.issue({ room: 'room-b', name: 'B', ttlMinutes: 60, by: 'cli' });
    const more = Array.from({ length: 19 }, (_, i) => cli.issue({ room: `room-${i}`, name: 'x', ttlMinutes: 60, by: 'cli' }));
    await Promise.all([issued, ...more, match.ok ? hub.use(match.stored.id, 'fp') : undefined]);
    expect(await hub.pending()).toHaveLength(20);
    expect(await hub.match(codeRequest(first.code, 'room-a'))).toMatchObject({ ok: false, code: 'CODE_USED' });
    expect(readdirSync(join(file, '..')).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(file, 'utf8')).not.toContain(first.code);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
