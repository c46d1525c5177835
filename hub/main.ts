import { createRootLogger } from '../common/log.js';
import { runAsService } from '../common/process/run-as-service.js';
import { createWatchdogGate, listening } from '../common/systemd/watchdog-gate.js';
import { TlsSetupError } from '../common/tls/pem-files.js';
import { HubConfigError, loadHubConfig, type HubConfigOverrides } from './config/load-config.js';
import { createHub } from './create-hub.js';
import { openHubStore } from './store/hub-store.js';
import { clusterStoreProblem } from './cluster/cluster-config.js';
import { caFingerprint, resolveHubTls, tlsFieldPath } from './tls/hub-tls.js';

export interface HubOptions extends HubConfigOverrides {
  configFile?: string;
}

/** The central hub: modules in start order, one line each (convention 3). */
export async function runHub(opts: HubOptions) {
  const t0 = performance.now();
  const config = await loadHubConfig(opts.configFile, { port: opts.port, store: opts.store, archive: opts.archive }); // validated once; throws HubConfigError
  const clusterProblem = clusterStoreProblem(config.cluster, config.store); // hub/cluster: the nodes share the store (--store applied)
  if (clusterProblem) throw new HubConfigError(opts.configFile ?? '<embedded>', [clusterProblem]); // exit 78
  const logger = createRootLogger('hub');
  const tls = await resolveHubTls({ ...config, logger: logger.child({ module: 'tls' }) }).catch((err: unknown) => {
    if (!(err instanceof TlsSetupError)) throw err;
    throw new HubConfigError(opts.configFile ?? '<embedded>', [{ path: tlsFieldPath(err.field), message: err.message }]); // exit 78
  });
  const store = config.store ? await openHubStore(config.store, logger.child({ module: 'store' })) : undefined; // PostgreSQL (hub/store): checked, migrated; throws HubStoreError
  const hub = createHub({ ...config, tls, store, logger: logger.child({ module: 'hub' }) }); // REST + signaling + SFU + WHIP/WHEP + console, one server

  const { registry } = await hub.start();
  const rooms = registry.rooms().map((r) => r.id); // enrolled rooms (hub/enrollment)
  const service = runAsService({
    name: 'hub',
    logger,
    line: { url: hub.address(), readyMs: Math.round(performance.now() - t0), rooms, tls: tlsLine(tls) },
    log: { stateDir: config.stateDir },
    healthy: createWatchdogGate([listening('hub', () => hub.address())], { logger }).healthy, // systemd's watchdog: pinged while it listens (a hung loop sends none)
    graceMs: 8000, // under pm2's kill_timeout 10 s and TimeoutStopSec=20
    stop: () => hub.stop().finally(() => store?.close()),
  });
  return { hub, stop: service.close };
}

/** The start line's TLS part: the mode, and the CA's fingerprint for a technician to compare by phone. */
function tlsLine(tls: Awaited<ReturnType<typeof resolveHubTls>>) {
  return { mode: tls.mode, ...(tls.caPem ? { caSha256: caFingerprint(tls.caPem) } : {}) };
}
