import { join, resolve } from 'node:path';
import { createRootLogger } from '../common/log.js';
import { VERSION } from '../common/version.js';
import { loadConfig } from './config/load-config.js';
import { createAuditLog } from './modules/audit/audit-log.js';
import { createApi } from './modules/api/create-api.js';
import { createDevices } from './modules/devices/create-devices.js';
import { createEventBus } from './modules/events/event-bus.js';
import { createMedia } from './modules/media/create-media.js';
import { createGatewayLink } from './modules/gateway-link/gateway-link.js';

export interface DaemonOptions {
  configFile?: string;
}

/** The room daemon: modules in start order, one line each (convention 3). */
export async function runDaemon(opts: DaemonOptions) {
  const t0 = performance.now();
  const config = await loadConfig(opts.configFile); // validated once; throws ConfigError naming the bad field
  const logger = createRootLogger('daemon');
  const bus = createEventBus(); // typed events for the WebSocket and, later, the kiosk
  const audit = createAuditLog(join(resolve(config.paths.state), 'audit.jsonl')); // who did what, when
  const devices = createDevices({ cameras: config.cameras, audio: config.audio, bus, logger }); // PTZ + DSP drivers
  const media = config.media.enabled ? createMedia({ config: config.media, room: config.room, cameras: devices.cameras, bus, logger: logger.child({ module: 'media' }) }) : undefined; // GStreamer worker process: cameras in, RTP out
  const gateway = createGatewayLink({ url: `http://${config.gateway.host}:${config.gateway.port}`, bus, logger: logger.child({ module: 'gateway-link' }) }); // polls the gateway process's /state
  const api = createApi({ ...config.api, room: config.room, version: VERSION, access: config.access, audit, devices, bus, media, gateway, logger: logger.child({ module: 'api' }) });

  await devices.start();
  await media?.start(); // after the drivers: it asks them for their RTSP URIs
  await gateway.start(); // never fails: an absent gateway reads 'down'
  await api.start();
  const readyMs = Math.round(performance.now() - t0);
  logger.info({ url: api.address(), readyMs }, 'daemon ready');
  // One machine-readable line for supervisors, the demo and tests.
  process.stdout.write(JSON.stringify({ ready: true, url: api.address(), readyMs, rssMb: Math.round(process.memoryUsage.rss() / 1048576) }) + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'daemon stopping');
    await api.stop(); // reverse order of start
    await gateway.stop();
    await media?.stop();
    await devices.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A bug in one handler must not take the room down; log it and keep serving.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  return { api, devices, media, stop };
}
