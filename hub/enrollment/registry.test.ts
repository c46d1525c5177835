import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { openRegistry } from './registry.js';
import { describeRegistryContract, pemOf } from './test/registry-suite.js';

// The lowdb backend: the contract (test/registry-suite.ts), then what only a file has.

describeRegistryContract('lowdb file', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'registry-')), 'registry.json');
  return { open: (now) => openRegistry({ file, logger: silentLogger(), now }) };
});
describe('room registry file', () => {
  it('is 0600 and holds the token as sha256 only', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'registry-')), 'registry.json');
    const reg = await openRegistry({ file, logger: silentLogger() });
    const { token } = await reg.enroll({ room: 'room-a', name: 'Phòng A', publicKeyPem: pemOf(), by: 'tech' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain('tokenSha256');
  });
});
