import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createHubTrust } from '../../common/tls/hub-trust.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';
import { PEOPLE_ROLES } from '../auth/identity.js';
import { sha256Hex } from '../config/auth.js';
import { validateHubConfig } from '../config/load-config.js';
import { createHub } from '../create-hub.js';
import { OFFICER_TOKEN } from '../test/hub-fixture.js';
import { resolveHubTls } from '../tls/hub-tls.js';
import type { ClusterStore } from './cluster-store.js';
import { createMemoryClusterStore } from './memory-cluster-store.js';

// Two nodes over https with one internal CA (node-b's <stateDir>/tls copied from node-a, as the README says):
// a request reaching node-a for node-b's hearing is forwarded over https, node-b's certificate checked
// against the hub CA.

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s().catch(() => {});
});

async function tlsNode(id: string, stateDir: string, store: ClusterStore) {
  const port = await freePort();
  const config = validateHubConfig({
    stateDir,
    tls: { mode: 'internal-ca' },
    tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
    cluster: { enabled: true, nodeId: id, advertiseUrl: `https://127.0.0.1:${port}`, heartbeatMs: 250, deadAfterMs: 10_000 },
  });
  const tls = await resolveHubTls({ tls: config.tls, host: '127.0.0.1', publicUrl: '', stateDir });
  const hub = createHub({ ...config, store: undefined, port, tls, clusterStore: store, logger: silentLogger() });
  const built = await hub.start();
  stops.push(() => hub.stop());
  return { built, url: `https://127.0.0.1:${port}`, caPem: tls.caPem! };
}

describe('cluster forwarding over https', () => {
  it('node-a forwards to node-b over https, trusting the hub CA', async () => {
    const store = createMemoryClusterStore({ deadAfterMs: 10_000 });
    const dirA = mkdtempSync(join(tmpdir(), 'cluster-tls-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'cluster-tls-b-'));
    stops.unshift(async () => [dirA, dirB].forEach((d) => rmSync(d, { recursive: true, force: true }))); // after the hubs stop
    const b = await tlsNode('node-b', dirB, store); // alone: makes the CA, holds the hearing
    const h = b.built.store.create('Phiên qua https', []);
    await until('placed on node-b', 10_000, async () => (await store.placements())[0]?.node === 'node-b');
    cpSync(join(dirB, 'tls'), join(dirA, 'tls'), { recursive: true });
    const a = await tlsNode('node-a', dirA, store);
    expect(a.caPem).toBe(b.caPem);
    const trust = createHubTrust({ caPem: a.caPem });
    stops.push(() => trust.close());
    const headers = { authorization: `Bearer ${OFFICER_TOKEN}` };
    // node-a's own store does not know the hearing (files, one per node): only forwarding to node-b makes a 200
    const stats = await trust.fetch(`${a.url}/api/v1/hearings/${h.id}/stats`, { headers });
    expect(stats.status).toBe(200);
    expect(
      (await trust.fetch(`${a.url}/api/v1/hearings/${h.id}`, { headers: { ...headers, 'x-reception-forwarded-by': 'node-b' } })).status,
    ).toBe(404);
  }, 60_000);
});
