import { describe, expect, it } from 'vitest';
import { until } from '../../../tests/helpers/until.js';
import type { Account } from '../account-file.js';
import type { AccountStore } from '../account-store.js';

// The local accounts' contract, run against both backends (account-store.test.ts: accounts.json;
// account-store-pg.test.ts: PostgreSQL). `place()` is a fresh, empty location; each `open` is one more
// store on it — the CLI and a running hub, or two hub nodes. The password record is only stored here
// (password.test.ts checks the hashing), so a small fixed one keeps the suite fast.

export interface AccountPlace {
  open(): Promise<AccountStore>;
}

const hash = (salt: string): Account['password'] => ({ algo: 'scrypt', N: 1024, r: 8, p: 1, salt, hash: `h-${salt}` });
export const account = (name: string, over: Partial<Account> = {}): Account => ({
  name,
  roles: ['officer'],
  password: hash(`${name}-1`),
  createdAt: '2026-03-01T08:00:00.000Z',
  passwordChangedAt: '2026-03-01T08:00:00.000Z',
  ...over,
});

export function describeAccountStoreContract(backend: string, place: () => Promise<AccountPlace>) {
  describe(`local accounts contract (${backend})`, () => {
    it('an added account is listed and seen by the hub on the same place; a name is taken once', async () => {
      const p = await place();
      const [cli, hub] = [await p.open(), await p.open()];
      expect(hub.view.current().accounts).toEqual([]);
      expect(await cli.add(account('lan', { roles: ['officer', 'supervisor'], totpSecret: 'JBSWY3DPEHPK3PXP' }))).toBe(true);
      expect(await cli.add(account('minh', { roles: ['archivist'] }))).toBe(true);
      expect(await cli.add(account('lan', { roles: ['monitor'] }))).toBe(false);
      expect((await cli.list()).map((a) => [a.name, a.roles])).toEqual([
        ['lan', ['officer', 'supervisor']],
        ['minh', ['archivist']],
      ]);
      await until('the hub to see both accounts', 10_000, () => hub.view.current().accounts.length === 2);
      expect(hub.view.find('lan')).toEqual(account('lan', { roles: ['officer', 'supervisor'], totpSecret: 'JBSWY3DPEHPK3PXP' }));
      expect(hub.view.find('nobody')).toBeUndefined();
      expect(cli.where).not.toBe('');
    });

    it('a new password (and TOTP) replaces the old one with its time; removing ends the account everywhere', async () => {
      const p = await place();
      const [cli, hub] = [await p.open(), await p.open()];
      await cli.add(account('lan'));
      await until('the hub to see lan', 10_000, () => hub.view.find('lan') !== undefined);
      expect(await cli.setPassword('lan', hash('lan-2'), '2026-03-02T09:00:00.000Z')).toBe(true);
      await until('the hub to see the new password', 10_000, () => hub.view.find('lan')?.password.salt === 'lan-2');
      expect(hub.view.find('lan')).toMatchObject({ passwordChangedAt: '2026-03-02T09:00:00.000Z', createdAt: '2026-03-01T08:00:00.000Z' });
      expect(hub.view.find('lan')?.totpSecret).toBeUndefined();
      expect(await cli.setPassword('lan', hash('lan-3'), '2026-03-03T09:00:00.000Z', 'KRUGS4ZANFZSAYJA')).toBe(true);
      await until('the hub to see the TOTP secret', 10_000, () => hub.view.find('lan')?.totpSecret === 'KRUGS4ZANFZSAYJA');
      expect(await cli.setPassword('nobody', hash('x'), '2026-03-03T09:00:00.000Z')).toBe(false);
      expect(await cli.remove('lan')).toBe(true);
      expect(await cli.remove('lan')).toBe(false);
      await until('the hub to forget lan', 10_000, () => hub.view.find('lan') === undefined);
      expect(await cli.list()).toEqual([]);
    });
  });
}
