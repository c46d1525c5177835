import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeKey, requestMac } from '../../common/contracts/enrollment.js';
import { CODES_FILE, createCodeStore } from './codes.js';

// Two writers of one codes file (the CLI issuing into the state dir of a running hub that uses a code):
// no change is lost, whatever the interleaving; the code itself is never in the file.

const request = (code: string, room: string) => {
  const fields = { room, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----\n', nonce: 'n'.repeat(32) };
  return { ...fields, mac: requestMac(codeKey(code, room), fields) };
};

describe('enrollment codes file', () => {
  it('keeps every code issued by two stores at once, and each use', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'codes-')), CODES_FILE);
    const [cli, hub] = [createCodeStore({ file }), createCodeStore({ file })];
    const first = await hub.issue({ room: 'room-a', name: 'A', ttlMinutes: 60, by: 'hub' });
    const match = await hub.match(request(first.code, 'room-a'));
    expect(match.ok).toBe(true);
    // 20 codes from the CLI while the hub uses one: all must be there afterwards
    const issued = cli.issue({ room: 'room-b', name: 'B', ttlMinutes: 60, by: 'cli' });
    const more = Array.from({ length: 19 }, (_, i) => cli.issue({ room: `room-${i}`, name: 'x', ttlMinutes: 60, by: 'cli' }));
    await Promise.all([issued, ...more, match.ok ? hub.use(match.stored.id, 'fp') : undefined]);
    const pending = await hub.pending();
    expect(pending).toHaveLength(20);
    expect(await hub.match(request(first.code, 'room-a'))).toMatchObject({ ok: false, code: 'CODE_USED' });
    expect(readdirSync(join(file, '..')).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
  });
});
