import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { openBookOutbox } from './book-outbox-file.js';
import { createFleetStore } from './fleet-store.js';
import { describeFleetStoreContract } from './test/fleet-suite.js';

// The embedded backend (reports in memory, the outbox in <stateDir>/book-outbox.json) against the
// fleet store's contract (test/fleet-suite.ts); fleet-store-pg.test.ts runs it on PostgreSQL.

describeFleetStoreContract('memory + book-outbox.json', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-')), 'book-outbox.json');
  return {
    async open({ now, refusedKeepMs }) {
      const outbox = await openBookOutbox(file, silentLogger());
      return createFleetStore({ now, refusedKeepMs, initialBook: outbox.entries, persistBook: outbox.save });
    },
  };
});
