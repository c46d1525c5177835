import { describe, expect, it } from 'vitest';
import { codeKey, newEnrollmentCode, requestMac } from '../../../common/contracts/enrollment.js';
import type { CodeStore } from '../codes.js';

// The enrollment codes' contract, run against every backend (codes.test.ts: the 0600 file with its lock;
// codes-pg.test.ts: PostgreSQL). `place()` is a fresh, empty location; each `open` is one more store on
// it: the CLI and the hub on one state dir, or two hub nodes on one database.

export interface CodePlace {
  open(now?: () => Date): Promise<CodeStore>;
}

export const codeRequest = (code: string, room: string) => {
  const fields = { room, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----\n', nonce: 'n'.repeat(32) };
  return { ...fields, mac: requestMac(codeKey(code, room), fields) };
};

export function describeCodeStoreContract(backend: string, place: () => Promise<CodePlace>) {
  describe(`enrollment codes contract (${backend})`, () => {
    it('a code matches its room only, is used once, and lists as pending (without its key) until then', async () => {
      const store = await (await place()).open();
      const { code, id, expiresAt } = await store.issue({ room: 'room-a', name: 'Phòng A', ttlMinutes: 60, by: 'tech' });
      expect(code).not.toBe('');
      expect((await store.pending()).map((c) => ({ ...c }))).toEqual([
        expect.objectContaining({ id, room: 'room-a', name: 'Phòng A', issuedBy: 'tech', expiresAt }),
      ]);
      expect(JSON.stringify(await store.pending())).not.toMatch(/macKey/);
      expect(await store.match(codeRequest(code, 'room-b'))).toMatchObject({ ok: false, code: 'CODE_WRONG' });
      expect(await store.match(codeRequest(newEnrollmentCode(), 'room-a'))).toMatchObject({ ok: false, code: 'CODE_WRONG' });
      const m = await store.match(codeRequest(code, 'room-a'));
      expect(m).toMatchObject({ ok: true, stored: { id, room: 'room-a', name: 'Phòng A' } });
      await store.use(id, 'fp-1');
      expect(await store.match(codeRequest(code, 'room-a'))).toMatchObject({ ok: false, code: 'CODE_USED' });
      await expect(store.use(id, 'fp-2')).rejects.toThrow(/already used/);
      await expect(store.use('no-such-id', 'fp')).rejects.toThrow(/vanished/);
      expect(await store.pending()).toEqual([]);
    });

    it('an expired code is refused with its expiry, and forgotten a week later', async () => {
      let t = Date.parse('2026-02-01T08:00:00Z');
      const p = await place();
      const store = await p.open(() => new Date(t));
      const old = await store.issue({ room: 'room-a', name: 'A', ttlMinutes: 10, by: 'tech' });
      t += 11 * 60_000;
      const refused = await store.match(codeRequest(old.code, 'room-a'));
      expect(refused).toMatchObject({ ok: false, code: 'CODE_EXPIRED' });
      expect(!refused.ok && refused.reason).toContain(old.expiresAt);
      expect(await store.pending()).toEqual([]);
      t += 8 * 86_400_000;
      await store.issue({ room: 'room-b', name: 'B', ttlMinutes: 10, by: 'tech' }); // a write sweeps old codes
      expect(await (await p.open(() => new Date(t))).match(codeRequest(old.code, 'room-a'))).toMatchObject({ code: 'CODE_WRONG' });
    });

    it('two stores on one place: every code each issues is kept, and a code used by both at once is used once', async () => {
      const p = await place();
      const [a, b] = [await p.open(), await p.open()];
      const issued = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).issue({ room: `room-${i}`, name: `R${i}`, ttlMinutes: 60, by: 'x' })),
      );
      expect((await a.pending()).map((c) => c.id).sort()).toEqual(issued.map((c) => c.id).sort());
      const target = issued[3]!;
      const [ma, mb] = [await a.match(codeRequest(target.code, 'room-3')), await b.match(codeRequest(target.code, 'room-3'))];
      expect(ma.ok && mb.ok).toBe(true); // both nodes saw it unused: only the claim decides
      const claims = await Promise.allSettled([a.use(target.id, 'fp-a'), b.use(target.id, 'fp-b')]);
      expect(claims.map((c) => c.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(String((claims.find((c) => c.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/already used/);
      expect(await b.match(codeRequest(target.code, 'room-3'))).toMatchObject({ ok: false, code: 'CODE_USED' });
      expect(await a.pending()).toHaveLength(11);
    });
  });
}
