import { enableCompileCache, flushCompileCache } from 'node:module';

export interface GatewayOptions {
  configFile?: string;
}

/** `reception gateway`: the room's WebRTC link to the hub, as its own process (a werift crash costs no daemon). */
export async function runGateway(opts: GatewayOptions) {
  // Loading the gateway's ~1,100 modules (werift, fastify, undici, typebox) is most of its start: with V8's code
  // cache they are compiled once, not at every restart (NODE_COMPILE_CACHE, else <tmpdir>/node-compile-cache).
  // Enabled before the imports below, which is why they are dynamic.
  const cache = enableCompileCache();
  const [
    { createRootLogger },
    { runAsService },
    { loadGatewayConfig },
    { createGateway },
    { openHubLink },
    { loadLocalSecret },
    { originsOf },
  ] = await Promise.all([
    import('../common/log.js'),
    import('../common/process/run-as-service.js'),
    import('./config/load-gateway-config.js'),
    import('./create-gateway.js'),
    import('../common/enrollment/hub-link.js'),
    import('../common/local-bridge/local-secret.js'),
    import('./local-api.js'),
  ]);
  const loadedMs = Math.round(performance.now()); // since the process started
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
    log: { hub: hubLink.signalUrl, enrolled: hubLink.enrolled, startMs: { modules: loadedMs, ready: Math.round(performance.now()) } },
    healthy: () => gateway.address() !== '', // systemd's watchdog: pinged while it listens (a hung loop sends none)
    graceMs: 5000, // a werift close must not hang a restart
    stop: () => gateway.stop(),
  });
  // Node writes the cache at a normal exit only; a gateway that is killed (crash, SIGKILL, watchdog) never gets
  // there, so its first start would never be cached: written now, once everything is loaded.
  if (cache.directory) setImmediate(() => flushCompileCache()); // enabled here or by NODE_COMPILE_CACHE
  return { gateway, stop: service.close };
}
