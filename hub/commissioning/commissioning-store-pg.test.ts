import { afterAll } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { openPgCommissioningStore } from './commissioning-store-pg.js';
import { describeCommissioningContract } from './test/commissioning-suite.js';

// The commissioning store on a real PostgreSQL (a throw-away cluster for this file); the second store of
// each test is another hub node, which learns of the first one's writes by their notice.

const db = useMigratedDatabase(); // this file's cluster, a migrated database and its pool
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const close of closers) await close().catch(() => {});
});

describeCommissioningContract('postgres', async () => {
  await db.pool.query('TRUNCATE commissioning_reports, commissioning_self_tests');
  return {
    async open() {
      const store = await openPgCommissioningStore({ pool: db.pool, url: db.url, logger: silentLogger() });
      closers.push(store.close);
      return store;
    },
  };
});
