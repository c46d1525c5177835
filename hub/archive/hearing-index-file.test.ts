import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsArchiveStore } from './fs-archive-store.js';
import { describeIndexesContract, type IndexBackend } from './hearing-index-contract.js';
import { describeListingLinesContract } from './test/hearing-index-lines-contract.js';
import { createIndexes } from './hearing-index.js';

// The contracts against the indexes kept beside the recordings (.index.json through the archive store).

const besideTheFiles = async (): Promise<IndexBackend> => {
  const dir = mkdtempSync(join(tmpdir(), 'index-contract-'));
  return {
    dir,
    open: async () => createIndexes(createFsArchiveStore(dir)),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
};
describeIndexesContract('beside the files', besideTheFiles);
describeListingLinesContract('beside the files', besideTheFiles);
