import { createRootLogger } from '../common/log.js';
import { runAsService } from '../common/process/run-as-service.js';
import { loadHubConfig, type HubConfigOverrides } from './config/load-config.js';
import { createHub } from './create-hub.js';

export interface HubOptions extends HubConfigOverrides {
  configFile?: string;
}

/** The central hub: modules in start order, one line each (convention 3). */
export async function runHub(opts: HubOptions) {
  const t0 = performance.now();
  const config = await loadHubConfig(opts.configFile, { port: opts.port, rooms: opts.rooms }); // validated once; throws HubConfigError
  const logger = createRootLogger('hub');
  const hub = createHub({ ...config, logger: logger.child({ module: 'hub' }) }); // REST + signaling + SFU + WHIP/WHEP + console

  await hub.start();
  const rooms = config.rooms.map((r) => r.id);
  const service = runAsService({
    name: 'hub',
    logger,
    line: { url: hub.address(), readyMs: Math.round(performance.now() - t0), rooms },
    log: { stateDir: config.stateDir },
    healthy: () => hub.address() !== '', // systemd's watchdog: pinged while it listens (a hung loop sends none)
    graceMs: 8000, // under pm2's kill_timeout 10 s and TimeoutStopSec=20
    stop: () => hub.stop(),
  });
  return { hub, stop: service.close };
}
