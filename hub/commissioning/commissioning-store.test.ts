import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { silentLogger } from '../../common/log.js';
import { join } from 'node:path';
import { openCommissioningStore } from './commissioning-store.js';
import { describeCommissioningContract } from './test/commissioning-suite.js';

// The state dir backend (<stateDir>/commissioning/index.json + <room>.html) against the commissioning
// contract (test/commissioning-suite.ts); commissioning-store-pg.test.ts runs it on PostgreSQL.

describeCommissioningContract('state dir', async () => {
  const stateDir = join(mkdtempSync(join(tmpdir(), 'commissioning-')), 'state');
  return { open: () => openCommissioningStore({ stateDir, logger: silentLogger() }) };
});
