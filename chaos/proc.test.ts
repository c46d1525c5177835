import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { until } from '../tests/helpers/until.js';
import { descendantsOf } from './proc.js';

describe('descendantsOf (what a power cut takes with a process)', () => {
  it('finds children and grandchildren from /proc', async () => {
    // sh → (sh → sleep) and sleep: two levels below the spawned shell
    const sh = spawn('sh', ['-c', '(sleep 30 & wait) & sleep 30 & wait'], { stdio: 'ignore' });
    try {
      const found = await until('three descendants', 10_000, () => descendantsOf(sh.pid).length >= 3 && descendantsOf(sh.pid));
      expect(found.length).toBeGreaterThanOrEqual(3);
      expect(descendantsOf(undefined)).toEqual([]);
    } finally {
      for (const p of descendantsOf(sh.pid)) process.kill(p, 'SIGKILL');
      sh.kill('SIGKILL');
    }
  });
});
