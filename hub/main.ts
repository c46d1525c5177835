import { createRootLogger } from '../common/log.js';
import { createNotifier } from '../common/systemd/sd-notify.js';
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
  const readyMs = Math.round(performance.now() - t0);
  logger.info({ url: hub.address(), readyMs, rooms: config.rooms.map((r) => r.id), stateDir: config.stateDir }, 'hub ready');
  // One machine-readable line for supervisors, the demo and tests.
  process.stdout.write(JSON.stringify({ ready: true, url: hub.address(), readyMs, rooms: config.rooms.map((r) => r.id) }) + '\n');
  const notifier = createNotifier(process.env, { logger }); notifier.ready(`serving ${hub.address()}`); notifier.startWatchdog(() => hub.address() !== ''); // systemd Type=notify: READY=1, then WATCHDOG=1 while it listens (a hung loop sends none)

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'hub stopping');
    notifier.stopping(); // STOPPING=1, watchdog off
    await hub.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  return { hub, stop };
}
