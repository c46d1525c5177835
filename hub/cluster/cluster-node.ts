import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Logger } from '../../common/log.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import type { ClusterConfig } from './cluster-config.js';
import type { ClusterStore } from './cluster-store.js';
import { createCluster, type ClusterDeps } from './create-cluster.js';
import { createClusterRouting } from './cluster-routing.js';
import { createMemoryClusterStore } from './memory-cluster-store.js';
import { createPgClusterStore } from './pg-cluster-store.js';

// The hub's cluster module, wired into the fastify app (hub/create-hub.ts, only with a `cluster` config section):
// the routing hook first of all hooks, the first heartbeat as soon as the node listens, sign-off at close.

export interface ClusterNodeDeps {
  config: ClusterConfig;
  /** The nodes' shared registry and placements (tests inject one); default: PostgreSQL on `pool`, else in memory. */
  store?: ClusterStore;
  pool?: pg.Pool;
  hearings: ClusterDeps['hearings'];
  conference: ClusterDeps['conference'];
  registry: Pick<RoomRegistry, 'roomByToken'>;
  /** The hub's CA (hub/tls), to reach the other nodes over https. */
  ca?: string;
  logger: Logger;
}

export function installClusterNode(app: FastifyInstance, deps: ClusterNodeDeps) {
  const routing = createClusterRouting({
    cluster: {
      nodeId: deps.config.nodeId,
      holderOf: (h) => cluster.holderOf(h),
      holderNow: (h) => cluster.holderNow(h),
      suspect: (n) => cluster.suspect(n),
      nodes: () => cluster.nodes(),
    },
    lookups: {
      roomByToken: (t) => deps.registry.roomByToken(t)?.room.id,
      activeHearingOf: (room) => deps.hearings.activeOf(room)?.id,
    },
    ca: deps.ca,
    logger: deps.logger,
  });
  const { deadAfterMs } = deps.config;
  const store =
    deps.store ?? (deps.pool ? createPgClusterStore({ pool: deps.pool, deadAfterMs }) : createMemoryClusterStore({ deadAfterMs }));
  const cluster = createCluster({ ...deps, store, afterTick: routing.sweep });
  app.addHook('onRequest', routing.onRequest);
  app.addHook('onListen', async () => {
    await cluster.start();
    deps.logger.info({ node: deps.config.nodeId, url: deps.config.advertiseUrl, nodes: cluster.nodes().length }, 'cluster node up');
  });
  app.addHook('onClose', async () => {
    routing.close();
    await cluster.stop();
  });
  return { cluster, routing };
}
