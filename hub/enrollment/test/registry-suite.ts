import { describe, expect, it } from 'vitest';
import { generateApplianceKey } from '../../../common/evidence/index.js';
import { ed25519KeyInfo } from '../../../common/contracts/enrollment.js';
import type { Registry } from '../registry.js';

// The registry's contract, run against every backend (registry.test.ts: the lowdb file; registry-pg.test.ts:
// PostgreSQL). `place()` is a fresh, empty registry location; `open` opens a registry on it (again: a
// restarted hub, or another hub node on the same database).

export interface RegistryPlace {
  open(now?: () => Date): Promise<Registry>;
}

export const pemOf = () => ed25519KeyInfo(generateApplianceKey().publicKeyRaw.toString('base64'))!.pem;

export function clock(start = Date.parse('2026-01-01T08:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms), at: (ms = 0) => new Date(t + ms) };
}

export function describeRegistryContract(backend: string, place: () => Promise<RegistryPlace>) {
  describe(`room registry contract (${backend})`, () => {
    it('enrolls a key and hands out a token; a reopened registry knows both, and shows no token hash', async () => {
      const p = await place();
      const reg = await p.open();
      const { key, token } = await reg.enroll({ room: 'room-a', name: 'Phòng A', publicKeyPem: pemOf(), by: 'tech' });
      expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(reg.roomByToken(token)?.room).toMatchObject({ id: 'room-a', name: 'Phòng A' });
      expect(reg.roomByToken(`${token}x`)).toBeUndefined();
      expect(reg.roomByToken('')).toBeUndefined();
      const again = await p.open();
      expect(again.roomByToken(token)?.key.fingerprint).toBe(key.fingerprint);
      expect(again.activeKey('room-a')?.fingerprint).toBe(key.fingerprint);
      expect(JSON.stringify(again.rooms())).not.toContain('tokenSha256');
      await expect(reg.enroll({ room: 'room-b', name: 'B', publicKeyPem: 'not a key', by: 'tech' })).rejects.toThrow(/Ed25519/);
      expect(reg.room('room-b')).toBeUndefined();
    });

    it('revoking kills the token; the key stays valid for evidence signed before the revocation', async () => {
      const c = clock();
      const reg = await (await place()).open(c.now);
      const pem = pemOf();
      const { token } = await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: pem, by: 'tech' });
      const signedAt = c.at(60_000);
      c.advance(3_600_000);
      const revoked = await reg.revoke('room-a', 'tech2', 'box stolen');
      expect(revoked).toMatchObject({ revokedBy: 'tech2', reason: 'box stolen', revokedAt: c.now().toISOString() });
      expect(reg.roomByToken(token)).toBeUndefined();
      expect(reg.activeKey('room-a')).toBeUndefined();
      expect(reg.keyValidAt('room-a', pem, signedAt).ok).toBe(true);
      const after = reg.keyValidAt('room-a', pem, c.at(1000));
      expect(!after.ok && after.reason).toMatch(/revoked at/);
      expect(await reg.revoke('room-a', 'tech2')).toBeUndefined(); // nothing active any more
      expect(await reg.revoke('room-zz', 'tech2')).toBeUndefined();
    });

    it('re-enrolling replaces the key: the old token dies, each key verifies for its own window only', async () => {
      const c = clock();
      const reg = await (await place()).open(c.now);
      const [oldPem, newPem] = [pemOf(), pemOf()];
      const first = await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: oldPem, by: 'tech' });
      const inOld = c.at(1000);
      c.advance(86_400_000);
      const second = await reg.enroll({ room: 'room-a', name: '', publicKeyPem: newPem, by: 'tech' });
      expect(reg.roomByToken(first.token)).toBeUndefined();
      expect(reg.roomByToken(second.token)?.key.fingerprint).toBe(second.key.fingerprint);
      expect(reg.room('room-a')).toMatchObject({
        name: 'A',
        keys: [{ fingerprint: first.key.fingerprint }, { fingerprint: second.key.fingerprint }],
      });
      expect(reg.room('room-a')?.keys[0]?.validTo).toBe(second.key.validFrom);
      expect(reg.keyValidAt('room-a', oldPem, inOld).ok).toBe(true);
      const oldNow = reg.keyValidAt('room-a', oldPem, c.at(1000));
      expect(!oldNow.ok && oldNow.reason).toMatch(/replaced at/);
      const newBefore = reg.keyValidAt('room-a', newPem, inOld);
      expect(!newBefore.ok && newBefore.reason).toMatch(/enrolled only at/);
      const raw = ed25519KeyInfo(newPem)!.raw.toString('base64'); // the manifest's raw base64 form
      expect(reg.keyValidAt('room-a', raw, c.at(1000)).ok).toBe(true);
    });

    it('names a key that was never enrolled, and a room that is not registered', async () => {
      const reg = await (await place()).open();
      await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: pemOf(), by: 'tech' });
      const stranger = pemOf();
      const r = reg.keyValidAt('room-a', stranger, new Date());
      expect(!r.ok && r.reason).toContain(ed25519KeyInfo(stranger)!.fingerprint);
      expect(!r.ok && r.reason).toMatch(/never enrolled/);
      const n = reg.keyValidAt('room-zz', stranger, new Date());
      expect(!n.ok && n.reason).toMatch(/not in the registry/);
    });

    it("emits 'changed' after an enrollment and a revocation", async () => {
      const reg = await (await place()).open();
      let changes = 0;
      reg.events.on('changed', () => changes++);
      await reg.enroll({ room: 'room-a', name: 'A', publicKeyPem: pemOf(), by: 'tech' });
      await reg.revoke('room-a', 'tech');
      expect(changes).toBeGreaterThanOrEqual(2);
      expect(reg.rooms().map((r) => r.id)).toEqual(['room-a']);
    });
  });
}
