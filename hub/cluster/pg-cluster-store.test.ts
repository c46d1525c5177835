import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { startPostgres, type PgCluster } from '../../tests/helpers/postgres.js';
import { type HubStore, openHubStore } from '../store/hub-store.js';
import { describeClusterStoreContract } from './test/cluster-store-contract.js';
import { createPgClusterStore } from './pg-cluster-store.js';

// The cluster store contract against a real PostgreSQL (a throw-away cluster; one database migrated by the
// hub's own runner, 020_cluster.sql among its files, emptied before each case).

let pgc: PgCluster;
let hub: HubStore;
beforeAll(async () => {
  pgc = await startPostgres();
  hub = await openHubStore(await pgc.createDatabase(), silentLogger());
});
afterAll(async () => {
  await hub?.close();
  await pgc?.remove();
});

describeClusterStoreContract('postgres', async (o) => {
  await hub.pool.query('TRUNCATE cluster_nodes, cluster_placements');
  return createPgClusterStore({ ...o, pool: hub.pool });
});
