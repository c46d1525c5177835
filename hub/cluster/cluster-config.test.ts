import { describe, expect, it } from 'vitest';
import { validateHubConfig } from '../config/load-config.js';
import { clusterStoreProblem } from './cluster-config.js';

describe('cluster config', () => {
  it('off by default: one process, as before', () => {
    expect(validateHubConfig({}).cluster).toMatchObject({ enabled: false, heartbeatMs: 1000, deadAfterMs: 4000 });
  });

  it('bad values are refused naming the field', () => {
    const on = { enabled: true, nodeId: 'hub-a', advertiseUrl: 'http://10.0.0.5:8090' };
    expect(() => validateHubConfig({ cluster: { ...on, nodeId: 'Hub A' } })).toThrow(/at \/cluster\/nodeId/);
    expect(() => validateHubConfig({ cluster: { ...on, advertiseUrl: 'http://lb/path' } })).toThrow(/at \/cluster\/advertiseUrl/);
    expect(() => validateHubConfig({ cluster: { ...on, heartbeatMs: 2000, deadAfterMs: 4000 } })).toThrow(
      /at \/cluster\/deadAfterMs: .*3 × heartbeatMs/,
    );
    // a forwarded request comes from loopback: with a cluster, loopback callers must not be trusted
    expect(() => validateHubConfig({ cluster: on, allowLoopbackOfficers: true })).toThrow(
      /at \/allowLoopbackOfficers: .*not with a cluster/,
    );
    expect(validateHubConfig({ cluster: on }).cluster.nodeId).toBe('hub-a');
  });

  it('a cluster needs the shared PostgreSQL store (checked once --store is applied)', () => {
    const c = validateHubConfig({ cluster: { enabled: true } }).cluster;
    expect(clusterStoreProblem(c, '')).toMatchObject({
      path: '/cluster/enabled',
      message: expect.stringMatching(/^cần `store`.*PostgreSQL/),
    });
    expect(clusterStoreProblem(c, 'postgres://h:p@db/hub')).toBeUndefined();
  });
});
