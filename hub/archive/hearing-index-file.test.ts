import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsArchiveStore } from './fs-archive-store.js';
import { describeIndexesContract } from './hearing-index-contract.js';
import { createIndexes } from './hearing-index.js';

// The contract against the indexes kept beside the recordings (.index.json through the archive store).

describeIndexesContract('beside the files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'index-contract-'));
  return { open: async () => createIndexes(createFsArchiveStore(dir)), remove: async () => rmSync(dir, { recursive: true, force: true }) };
});
