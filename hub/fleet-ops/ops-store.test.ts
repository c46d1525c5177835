import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { openOpsFile } from './ops-file.js';
import { createOpsStore } from './ops-store.js';
import { describeOpsStoreContract } from './test/ops-suite.js';

// The embedded backend (memory + <stateDir>/fleet-ops.json, bundles beside it) against the remote
// operations' contract (test/ops-suite.ts); ops-store-pg.test.ts runs it on PostgreSQL.

describeOpsStoreContract('fleet-ops.json', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'ops-'));
  let last: ReturnType<typeof createOpsStore> | undefined;
  return {
    async open(now) {
      await last?.saved(); // a restart: the previous store's writes are on disk
      last = createOpsStore({
        file: await openOpsFile(stateDir, silentLogger()),
        now,
        onPersistError: (err) => {
          throw err;
        },
      });
      return last;
    },
  };
});
