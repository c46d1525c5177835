import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createFleetHistory } from './fleet-history.js';
import { openHistoryFile } from './fleet-history-file.js';
import { describeFleetHistoryContract } from './test/history-suite.js';

// The history contract on <stateDir>/fleet-history.json (the one-machine hub): open() again reads the file.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describeFleetHistoryContract('fleet-history.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'history-file-'));
  dirs.push(dir);
  return {
    async open(clock) {
      const file = await openHistoryFile(join(dir, 'fleet-history.json'), silentLogger());
      return createFleetHistory({ now: clock, initial: file.initial, persist: file.save });
    },
  };
});
