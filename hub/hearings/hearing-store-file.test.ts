import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { openHearingFile } from './hearing-file.js';
import { describeHearingStoreContract, ROOMS, roomProblem } from './hearing-store-contract.js';
import { createHearingStore } from './hearing-store.js';
import { fileHearingWrites } from './hearing-writes.js';

// The contract against the file backend (<stateDir>/hearings.json, lowdb): the embedded default.

describeHearingStoreContract('files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearings-contract-'));
  return {
    async open() {
      const file = await openHearingFile(join(dir, 'hearings.json'), silentLogger());
      const store = createHearingStore({ roomIds: () => ROOMS, roomProblem, initial: file.hearings, persist: file.save });
      const writes = fileHearingWrites(store);
      return { store, writes, close: () => writes.close() };
    },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
