import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApplianceKey } from '../../common/evidence/index.js';
import { ed25519KeyInfo } from '../../common/contracts/enrollment.js';
import { silentLogger } from '../../common/log.js';
import { openRegistry } from './registry.js';

const pemOf = () => ed25519KeyInfo(generateApplianceKey().publicKeyRaw.toString('base64'))!.pem;

function clock(start = Date.parse('2026-01-01T08:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms), at: (ms = 0) => new Date(t + ms) };
}

describe('room registry', () => {
  it('enrolls a key, hands out a token stored as sha256 only, in a 0600 file that survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    const file = join(dir, 'registry.json');
    const reg = await openRegistry({ file, logger: silentLogger() });
    const pem = pemOf();
    const { key, token } = await reg.enroll({ room: 'room-a', name: 'Phòng A', publicKeyPem: pem, by: 'tech' });
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(reg.roomByToken(token)?.room.id).toBe('room-a');
    expect(reg.roomByToken(`${token}x`)).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain('tokenSha256');
    const again = await openRegistry({ file, logger: silentLogger() });
    expect(again.roomByToken(token)?.key.fingerprint).toBe(key.fingerprint);
    expect(JSON.stringify(again.rooms())).not.toContain('tokenSha256'); // the contract's view has no token hash
  });

  it('revoking kills the token; the key stays valid for evidence signed before the revocation', async () => {
    const c = clock();
    const reg = await openRegistry({ logger: silentLogger(), now: c.now });
    const pem = pemOf();
    const { token } = await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: pem, by: 'tech' });
    const signedAt = c.at(60_000);
    c.advance(3_600_000);
    const revoked = await reg.revoke('room-a', 'tech2', 'box stolen');
    expect(revoked?.revokedBy).toBe('tech2');
    expect(reg.roomByToken(token)).toBeUndefined();
    expect(reg.activeKey('room-a')).toBeUndefined();
    expect(reg.keyValidAt('room-a', pem, signedAt).ok).toBe(true);
    const after = reg.keyValidAt('room-a', pem, c.at(1000));
    expect(after).toMatchObject({ ok: false });
    expect(!after.ok && after.reason).toMatch(/revoked at/);
    expect(await reg.revoke('room-a', 'tech2')).toBeUndefined(); // nothing active any more
  });

  it('re-enrolling replaces the key: the old token dies, each key verifies for its own window only', async () => {
    const c = clock();
    const reg = await openRegistry({ logger: silentLogger(), now: c.now });
    const [oldPem, newPem] = [pemOf(), pemOf()];
    const first = await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: oldPem, by: 'tech' });
    const inOld = c.at(1000);
    c.advance(86_400_000);
    const second = await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: newPem, by: 'tech' });
    expect(reg.roomByToken(first.token)).toBeUndefined();
    expect(reg.roomByToken(second.token)?.key.fingerprint).toBe(second.key.fingerprint);
    expect(reg.room('room-a')?.keys).toHaveLength(2);
    expect(reg.keyValidAt('room-a', oldPem, inOld).ok).toBe(true);
    const oldNow = reg.keyValidAt('room-a', oldPem, c.at(1000));
    expect(!oldNow.ok && oldNow.reason).toMatch(/replaced at/);
    const newBefore = reg.keyValidAt('room-a', newPem, inOld);
    expect(!newBefore.ok && newBefore.reason).toMatch(/enrolled only at/);
    // the manifest's raw base64 form of the key is accepted too
    const raw = ed25519KeyInfo(newPem)!.raw.toString('base64');
    expect(reg.keyValidAt('room-a', raw, c.at(1000)).ok).toBe(true);
  });

  it('names a key that was never enrolled, and a room that is not registered', async () => {
    const reg = await openRegistry({ logger: silentLogger() });
    await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: pemOf(), by: 'tech' });
    const stranger = pemOf();
    const r = reg.keyValidAt('room-a', stranger, new Date());
    expect(!r.ok && r.reason).toContain(ed25519KeyInfo(stranger)!.fingerprint);
    expect(!r.ok && r.reason).toMatch(/never enrolled/);
    const n = reg.keyValidAt('room-zz', stranger, new Date());
    expect(!n.ok && n.reason).toMatch(/not in the registry/);
  });

  it("emits 'changed' after an enrollment and a revocation", async () => {
    const reg = await openRegistry({ logger: silentLogger() });
    let changes = 0;
    reg.events.on('changed', () => changes++);
    await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: pemOf(), by: 'tech' });
    await reg.revoke('room-a', 'tech');
    expect(changes).toBe(2);
  });
});
