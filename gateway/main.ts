import { createRootLogger } from '../common/log.js';
import { createNotifier } from '../common/systemd/sd-notify.js';
import { loadConfig } from '../daemon/config/load-config.js';
import { createGateway } from './create-gateway.js';

export interface GatewayOptions {
  configFile?: string;
}

/** `reception gateway`: the room's WebRTC link to the hub, as its own process (a werift crash costs no daemon). */
export async function runGateway(opts: GatewayOptions) {
  const config = await loadConfig(opts.configFile); // the daemon's file and validation: one config per room
  const logger = createRootLogger('gateway');
  const apiHost = ['0.0.0.0', '::'].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  const gateway = createGateway({
    room: config.room,
    gateway: config.gateway,
    media: config.media,
    keyframeUrl: `http://${apiHost}:${config.api.port}/api/v1/media/keyframe`, // the daemon forwards it to its media worker
    logger,
  });
  await gateway.start();
  const url = gateway.address();
  logger.info({ url, hub: config.gateway.hubUrl }, 'gateway ready');
  process.stdout.write(JSON.stringify({ ready: true, url, kiosk: `${url}/kiosk/test` }) + '\n');
  const notifier = createNotifier(process.env, { logger }); notifier.ready(`serving ${url}`); notifier.startWatchdog(() => gateway.address() !== ''); // systemd Type=notify: READY=1, then WATCHDOG=1 while it listens (a hung loop sends none)

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'gateway stopping');
    notifier.stopping(); // STOPPING=1, watchdog off
    const force = setTimeout(() => process.exit(1), 5000).unref(); // werift close must not hang a restart
    await gateway.stop().catch((err: Error) => logger.error({ err }, 'stop failed'));
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  return { gateway, stop };
}
