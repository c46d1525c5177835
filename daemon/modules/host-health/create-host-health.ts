import { Worker } from 'node:worker_threads';
import type { HostSample } from '../../../common/contracts/host.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { createSupervisor } from '../../../common/supervise/supervisor.js';
import type { SamplerData, SamplerMessage } from './sampler-thread.js';

// The room's box (CPU, memory, temperatures, the disks of its paths, network interfaces), sampled with
// systeminformation on a worker thread every intervalMs; summary() hands out the last sample and never
// waits, so no request and no report pays for a sample. A thread that dies is started again (backoff,
// at most 6 a minute); the last sample is kept, its sampledAt says how old it is.

export interface HostHealthDeps {
  /** The room's paths whose file systems are reported: `{recordings, state}`. */
  paths: Record<string, string>;
  /** Default 15 s. */
  intervalMs?: number;
  logger: Logger;
}

/** The compiled thread beside this file; from the .ts sources (vitest, tsx: a dev dependency) the .ts one through tsx. */
function samplerThread(data: SamplerData): Worker {
  const opts = { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 64 } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sampler-thread.js', import.meta.url), opts);
  const file = JSON.stringify(new URL('./sampler-thread.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${file}, ${JSON.stringify(import.meta.url)}))`, {
    ...opts,
    eval: true,
  });
}

export function createHostHealth(deps: HostHealthDeps) {
  const intervalMs = deps.intervalMs ?? 15_000;
  const self = new HealthTracker();
  let last: HostSample | null = null;
  let lastError: string | undefined;
  const supervisor = createSupervisor<Worker>({
    baseMs: 2000,
    maxMs: 60_000,
    jitter: 0.2,
    maxRestartsPerMinute: 6,
    build(ctx) {
      const worker = samplerThread({ paths: deps.paths, intervalMs });
      worker.on('message', (m: SamplerMessage) => {
        if (m.type === 'sample') {
          last = m.sample;
          lastError = undefined;
          self.set('online');
          if (m.tookMs > 2000) deps.logger.warn({ tookMs: m.tookMs }, 'host sample slow (on its own thread: nothing else waited)');
        } else {
          if (m.message !== lastError) deps.logger.warn({ err: m.message }, 'host sample failed');
          lastError = m.message;
          self.set('offline', m.message);
        }
      });
      worker.on('error', (err) => ctx.lost(err.message));
      worker.on('exit', (code) => ctx.lost(`sampler thread exited (${code})`));
      worker.unref(); // never what keeps the daemon alive
      return worker;
    },
    dispose: async (worker) => void (await worker.terminate()),
  });
  supervisor.events.on('retry', (r) => {
    self.set('offline', r.reason);
    self.countReconnect();
    deps.logger.warn({ reason: r.reason, inMs: r.delayMs }, 'host sampler thread lost; starting it again');
  });
  return {
    async start(): Promise<void> {
      self.set('starting');
      await supervisor.start();
    },
    async stop(): Promise<void> {
      await supervisor.stop();
      self.set('stopped');
    },
    health: () => self.get(),
    /** The last sample (null before the first); never waits. */
    summary: (): HostSample | null => last,
  };
}
export type HostHealth = ReturnType<typeof createHostHealth>;
