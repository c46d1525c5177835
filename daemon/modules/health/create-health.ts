import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import { roomHealth, type HealthSources } from './room-health.js';

// The room's health module (convention 1): what GET /api/v1/health answers and what the fleet reporter
// sends to the hub, computed in one place from the modules that know each part. A part that needs
// sampling (host CPU, disks, temperatures…) gets a timer in start()/stop() and its cached sample in snapshot().

export type HealthDeps = Omit<HealthSources, 'startedAt'> & { startedAt?: number };

export function createHealth(deps: HealthDeps) {
  const sources: HealthSources = { ...deps, startedAt: deps.startedAt ?? Date.now() };
  const self = new HealthTracker();
  return {
    async start(): Promise<void> {
      self.set('online');
    },
    async stop(): Promise<void> {
      self.set('stopped');
    },
    /** This module's own lifecycle health. */
    health: () => self.get(),
    /** The room as GET /api/v1/health shows it. */
    snapshot: (): HealthReply => roomHealth(sources),
  };
}
