import { afterAll, beforeAll } from 'vitest';
import type pg from 'pg';
import { silentLogger } from '../../common/log.js';
import { migrate } from '../../common/storage/pg/migrate.js';
import { createPgPool } from '../../common/storage/pg/pool.js';
import { migrationsDir } from '../store/hub-store.js';
import { startPostgres, type PgCluster } from '../../tests/helpers/postgres.js';
import { openPgCommissioningStore } from './commissioning-store-pg.js';
import { describeCommissioningContract } from './test/commissioning-suite.js';

// The commissioning store on a real PostgreSQL (a throw-away cluster for this file); the second store of
// each test is another hub node, which learns of the first one's writes by their notice.

let cluster: PgCluster;
let url: string;
let pool: pg.Pool;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  pool = createPgPool(url, silentLogger());
  await migrate(pool, migrationsDir());
});
afterAll(async () => {
  for (const close of closers) await close().catch(() => {});
  await pool?.end();
  await cluster?.remove();
});

describeCommissioningContract('postgres', async () => {
  await pool.query('TRUNCATE commissioning_reports, commissioning_self_tests');
  return {
    async open() {
      const store = await openPgCommissioningStore({ pool, url, logger: silentLogger() });
      closers.push(store.close);
      return store;
    },
  };
});
