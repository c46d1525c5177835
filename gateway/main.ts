import { createRootLogger } from '../common/log.js';
import { runAsService } from '../common/process/run-as-service.js';
import { loadGatewayConfig } from './config/load-gateway-config.js';
import { createGateway } from './create-gateway.js';
import { openHubLink } from '../common/enrollment/hub-link.js';
import { loadLocalSecret } from '../common/local-bridge/local-secret.js';
import { originsOf } from './local-api.js';

export interface GatewayOptions {
  configFile?: string;
}

/** `reception gateway`: the room's WebRTC link to the hub, as its own process (a werift crash costs no daemon). */
export async function runGateway(opts: GatewayOptions) {
  const config = await loadGatewayConfig(opts.configFile); // the room's one config file, the gateway's slices of it
  const logger = createRootLogger('gateway');
  const apiHost = ['0.0.0.0', '::'].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  const hubLink = await openHubLink(config.paths.state, { hubUrl: config.gateway.hubUrl }); // the enrollment
  const gateway = createGateway({
    hubLink,
    room: config.room,
    gateway: config.gateway,
    media: config.media,
    keyframeUrl: `http://${apiHost}:${config.api.port}/api/v1/media/keyframe`, // the daemon forwards it to its media worker
    local: { secret: await loadLocalSecret(config.paths.state), kioskOrigins: originsOf(config.api.host, config.api.port) }, // /state and the kiosk bridge
    logger,
  });
  await gateway.start();
  const url = gateway.address();
  const service = runAsService({
    name: 'gateway',
    logger,
    line: { url, kiosk: `${url}/kiosk/test` },
    log: { hub: hubLink.signalUrl, enrolled: hubLink.enrolled },
    healthy: () => gateway.address() !== '', // systemd's watchdog: pinged while it listens (a hung loop sends none)
    graceMs: 5000, // a werift close must not hang a restart
    stop: () => gateway.stop(),
  });
  return { gateway, stop: service.close };
}
