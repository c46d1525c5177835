import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { silentLogger } from '../../common/log.js';
import { migrate } from '../../common/storage/pg/migrate.js';
import { createPgPool } from '../../common/storage/pg/pool.js';
import { migrationsDir } from '../store/hub-store.js';
import { startPostgres, type PgCluster } from '../../tests/helpers/postgres.js';
import { openPgAccountStore } from './account-store-pg.js';
import type { AccountStore } from './account-store.js';
import { account, describeAccountStoreContract } from './test/account-suite.js';

// Local accounts on a real PostgreSQL (a throw-away cluster for this file): the contract, then two
// technicians adding one name at once on two nodes.

let cluster: PgCluster;
let url: string;
let pool: pg.Pool;
const opened: AccountStore[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  pool = createPgPool(url, silentLogger());
  await migrate(pool, migrationsDir());
});
afterAll(async () => {
  for (const s of opened) await s.close().catch(() => {});
  await pool?.end();
  await cluster?.remove();
});

const open = async () => {
  const s = await openPgAccountStore({ pool, url, logger: silentLogger() });
  opened.push(s);
  return s;
};

describeAccountStoreContract('postgres', async () => (await pool.query('TRUNCATE accounts'), { open }));

describe('local accounts on two hub nodes (postgres)', () => {
  it('one name added on two nodes at once is one account; the URL shown hides the password', async () => {
    await pool.query('TRUNCATE accounts');
    const [a, b] = [await open(), await open()];
    const added = await Promise.all([a.add(account('lan', { roles: ['officer'] })), b.add(account('lan', { roles: ['supervisor'] }))]);
    expect(added.sort()).toEqual([false, true]);
    expect((await a.list()).map((x) => x.name)).toEqual(['lan']);
    expect(a.where).toContain(':***@');
  });
});
