import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { openFileRolloutTargets } from './rollout-targets.js';
import { describeRolloutTargetsContract } from './test/rollout-targets-suite.js';

// The rollout targets' contract on <stateDir>/rollout.json (the one-machine hub).

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describeRolloutTargetsContract('rollout.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-file-'));
  dirs.push(dir);
  return { open: () => openFileRolloutTargets({ file: join(dir, 'rollout.json'), logger: silentLogger() }) };
});
