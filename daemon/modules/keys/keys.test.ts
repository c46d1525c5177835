import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { signHash, verifyHashSig } from '../../../common/evidence/index.js';
import { createKeys } from './keys.js';

/** A logger that keeps its records, to check the loud warning. */
function memoryLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

describe('keys', () => {
  it('generates 0600 keys on first start and loads the same keys afterwards', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'keys-'));
    const a = createKeys({ stateDir, logger: memoryLogger().logger });
    await a.start();
    expect(a.health().state).toBe('online');
    for (const f of ['appliance-ed25519.pem', 'book.key']) expect(statSync(join(stateDir, 'keys', f)).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, 'keys')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(stateDir, 'keys', 'appliance-ed25519.pem'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    expect(a.bookKey()).toHaveLength(32);
    const b = createKeys({ stateDir, logger: memoryLogger().logger });
    await b.start();
    expect(b.applianceKey().publicKeyRaw.equals(a.applianceKey().publicKeyRaw)).toBe(true);
    expect(b.bookKey().equals(a.bookKey())).toBe(true);
    const h = 'ab'.repeat(32);
    expect(verifyHashSig(h, signHash(h, b.applianceKey().privateKeyPem), a.applianceKey().publicKeyRaw)).toBe(true);
  });

  it('repairs a world-readable key with a loud log, and refuses a damaged one', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'keys-'));
    await createKeys({ stateDir, logger: memoryLogger().logger }).start();
    const pem = join(stateDir, 'keys', 'appliance-ed25519.pem');
    chmodSync(pem, 0o644);
    const mem = memoryLogger();
    await createKeys({ stateDir, logger: mem.logger }).start();
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    expect(mem.lines.find((l) => l.level >= 50)?.msg).toMatch(/ACCESSIBLE TO OTHER USERS/);

    writeFileSync(join(stateDir, 'keys', 'book.key'), Buffer.alloc(16), { mode: 0o600 });
    const bad = createKeys({ stateDir, logger: memoryLogger().logger });
    await expect(bad.start()).rejects.toThrow(/32 bytes/);
    expect(bad.health().state).toBe('offline');
    expect(() => bad.bookKey()).toThrow();
  });
});
