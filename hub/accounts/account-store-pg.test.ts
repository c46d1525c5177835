import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { openPgAccountStore } from './account-store-pg.js';
import type { AccountStore } from './account-store.js';
import { account, describeAccountStoreContract } from './test/account-suite.js';

// Local accounts on a real PostgreSQL (a throw-away cluster for this file): the contract, then two
// technicians adding one name at once on two nodes.

const db = useMigratedDatabase(); // this file's cluster, a migrated database and its pool
const opened: AccountStore[] = [];

afterAll(async () => {
  for (const s of opened) await s.close().catch(() => {});
});

const open = async () => {
  const s = await openPgAccountStore({ pool: db.pool, url: db.url, logger: silentLogger() });
  opened.push(s);
  return s;
};

describeAccountStoreContract('postgres', async () => (await db.pool.query('TRUNCATE accounts'), { open }));

describe('local accounts on two hub nodes (postgres)', () => {
  it('one name added on two nodes at once is one account; the URL shown hides the password', async () => {
    await db.pool.query('TRUNCATE accounts');
    const [a, b] = [await open(), await open()];
    const added = await Promise.all([a.add(account('lan', { roles: ['officer'] })), b.add(account('lan', { roles: ['supervisor'] }))]);
    expect(added.sort()).toEqual([false, true]);
    expect((await a.list()).map((x) => x.name)).toEqual(['lan']);
    expect(a.where).toContain(':***@');
  });
});
