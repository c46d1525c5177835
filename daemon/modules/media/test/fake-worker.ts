import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../common/log.js';
import type { WorkerSettings } from '../../../drivers/media/worker-protocol.js';
import { createWorkerSupervisor } from '../worker-supervisor.js';

// A real child process in place of the media worker: it answers `start` with `ready`, then runs `onStart` (a
// script that sends stats as the test wants), and the supervisor as the daemon runs it (silence limit 2.5 s).

const dir = mkdtempSync(join(tmpdir(), 'fake-worker-'));

/** Writes the child's script; `onStart` runs after `ready`, with `process.send` at hand. */
export function fakeWorker(name: string, onStart: string): string {
  const f = join(dir, `${name}.mjs`);
  writeFileSync(
    f,
    `process.on('message', (m) => { if (m.type !== 'start') return; process.send({ type: 'ready' }); ${onStart} });
     setInterval(() => {}, 1000);\n`,
  );
  return f;
}

/** Starts a supervisor on `entry`; `stop` must be awaited after the test. */
export function superviseFake(entry: string) {
  const sup = createWorkerSupervisor({
    entry,
    settings: {} as WorkerSettings,
    maxRestartsPerMinute: 10,
    logger: silentLogger(),
    silenceMs: 2500,
  });
  const restarts: string[] = [];
  const messages: { type: string; held?: boolean }[] = [];
  const stats: number[] = []; // when each stats message came (performance.now())
  sup.events.on('restart', (r) => restarts.push(r.reason));
  sup.events.on('message', (m) => {
    messages.push(m as { type: string; held?: boolean });
    if (m.type === 'stats') stats.push(performance.now());
  });
  sup.start();
  return { sup, restarts, messages, stats, stop: () => sup.stop() };
}
