import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import type { WorkerSettings } from '../../drivers/media/worker-protocol.js';
import { createWorkerSupervisor, type WorkerState } from './worker-supervisor.js';

// The supervisor's restart policy with a real child process that dies as soon as it is told to start
// (no GStreamer): at once, then 250 ms, 500 ms …, and never more than maxRestartsPerMinute.

const dir = mkdtempSync(join(tmpdir(), 'worker-sup-'));
const crashing = join(dir, 'crashing-worker.mjs');
writeFileSync(crashing, "process.on('message', (m) => { if (m.type === 'start') process.exit(3); });\n");

let stop: (() => Promise<void>) | undefined;
afterEach(async () => stop?.());

describe('media worker supervisor', () => {
  it('restarts a crashing worker at once, then 250 ms, 500 ms; the 4th restart in a minute waits for the rate limit', async () => {
    const sup = createWorkerSupervisor({
      entry: crashing,
      settings: {} as WorkerSettings,
      maxRestartsPerMinute: 3,
      logger: silentLogger(),
      silenceMs: 60_000,
    });
    stop = () => sup.stop();
    const restarts: { restarts: number; reason: string; delayMs: number; at: number }[] = [];
    const states: WorkerState[] = [];
    sup.events.on('restart', (r) => restarts.push({ ...r, at: Date.now() }));
    sup.events.on('state', (s) => states.push(s));
    sup.start();
    await expect.poll(() => restarts.length, { timeout: 10_000 }).toBe(4);
    expect(restarts.slice(0, 3).map((r) => r.delayMs)).toEqual([0, 250, 500]);
    expect(restarts[3].delayMs).toBeGreaterThan(55_000); // rate limit: 3 restarts are already due this minute
    expect(restarts[0].reason).toBe('worker exited (code 3)');
    expect(restarts[2].at - restarts[1].at).toBeGreaterThanOrEqual(250);
    expect(sup.restarts).toBe(4);
    expect(sup.lastRestartReason).toBe('worker exited (code 3)');
    expect(states).toEqual(['starting', 'restarting']);
    expect(sup.state).toBe('restarting');
    await sup.stop();
    expect(sup.state).toBe('stopped');
    expect(sup.pid).toBeNull();
  });
});
