import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNTS_FILE } from './account-file.js';
import { fileAccountStore } from './account-store.js';
import { describeAccountStoreContract } from './test/account-suite.js';

// accounts.json against the local accounts' contract (test/account-suite.ts); account-store-pg.test.ts
// runs it on PostgreSQL.

describeAccountStoreContract('accounts.json', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'accounts-')), ACCOUNTS_FILE);
  return { open: async () => fileAccountStore(file) };
});
