import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRootLogger, silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../../common/config/validate-room-config.js';
import type { WorkerSettings } from '../../drivers/media/worker-protocol.js';
import { createWorkerSupervisor } from './worker-supervisor.js';
import { checkNice, threadNices } from './worker-nice.js';

// media.workerNice: the worker the supervisor spawns runs at the configured nice in every thread, also
// in a thread it starts after 'ready' (nice is set at exec, not on a running pid); a refused raise is
// logged naming the field; a value out of range is refused naming it. No timing asserts.

const dir = mkdtempSync(join(tmpdir(), 'worker-nice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const entry = join(dir, 'threaded-worker.mjs');
writeFileSync(
  entry,
  `import { Worker } from 'node:worker_threads';
process.on('message', (m) => {
  if (m.type !== 'start') return;
  new Worker('setInterval(() => {}, 1000)', { eval: true }).on('online', () => process.send({ type: 'ready' }));
});
process.on('disconnect', () => process.exit(0));
`,
);

describe('media worker nice', () => {
  it('the spawned worker runs at media.workerNice in all its threads, a thread started later included', async () => {
    // Above ours: any user may lower its own priority, so this runs without root too.
    const wanted = Math.min(getPriority() + 5, 19);
    const sup = createWorkerSupervisor({
      entry,
      settings: {} as WorkerSettings,
      maxRestartsPerMinute: 3,
      logger: silentLogger(),
      nice: wanted,
    });
    try {
      sup.start();
      await expect.poll(() => sup.state, { timeout: 30_000 }).toBe('running');
      const nices = threadNices(sup.pid!);
      expect(nices.length).toBeGreaterThan(5); // node's own threads + the one made after start
      expect(new Set(nices)).toEqual(new Set([wanted]));
    } finally {
      await sup.stop();
    }
  });

  it('a nice the worker did not get is logged, naming media.workerNice and what grants it', () => {
    const lines: string[] = [];
    const logger = createRootLogger('test', 'info', { write: (l: string) => void lines.push(l) });
    expect(checkNice(process.pid, getPriority() - 1, logger)).toBe(true);
    expect(lines.join('')).toMatch(/media\.workerNice -?\d+ not applied .*LimitNICE/);
    expect(checkNice(process.pid, getPriority(), logger)).toBe(false);
  });

  it('a bad media.workerNice is refused naming the field', () => {
    expect(() => validateConfig({ media: { workerNice: -20 } })).toThrow(/\/media\/workerNice/);
    expect(() => validateConfig({ media: { workerNice: 'high' } })).toThrow(/\/media\/workerNice/);
    expect(validateConfig({}).media.workerNice).toBe(-10);
  });
});
