import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envOverrides } from '../../common/config/env-overrides.js';
import { HubConfigError, loadHubConfig } from './load-config.js';
import { HubConfigSchema } from './schema.js';

describe('hub config', () => {
  it('env overrides are the ones the schema declares (RECEPTION_HUB_HOST, _PORT, _STATE_DIR…); the command line wins', async () => {
    expect(envOverrides(HubConfigSchema).map((o) => `${o.env}=${o.path.join('.')}`)).toEqual(
      expect.arrayContaining([
        'RECEPTION_HUB_HOST=host',
        'RECEPTION_HUB_PORT=port',
        'RECEPTION_HUB_STATE_DIR=stateDir',
        'RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS=allowLoopbackOfficers',
      ]),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'hub-cfg-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ port: 1000, stateDir: 'var/x' }));
    const c = await loadHubConfig(
      file,
      {},
      { RECEPTION_HUB_HOST: '0.0.0.0', RECEPTION_HUB_PORT: '8099', RECEPTION_HUB_STATE_DIR: '/srv/hub' },
    );
    expect([c.host, c.port, c.stateDir]).toEqual(['0.0.0.0', 8099, '/srv/hub']);
    expect((await loadHubConfig(undefined, { port: 0 }, { RECEPTION_HUB_PORT: '8099' })).port).toBe(0);
    await expect(loadHubConfig(undefined, {}, { RECEPTION_HUB_PORT: 'abc' })).rejects.toBeInstanceOf(HubConfigError);
  });

  it('loopback callers are nobody unless the config (or RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS, the demo) opts in', async () => {
    expect((await loadHubConfig(undefined, {}, {})).allowLoopbackOfficers).toBe(false);
    expect((await loadHubConfig(undefined, {}, { RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1' })).allowLoopbackOfficers).toBe(true);
    expect((await loadHubConfig(undefined, {}, {})).tokens).toEqual([]);
  });

  it('refuses rooms with a shared secret (issue 10: rooms are known by enrollment only), naming /rooms and saying to enroll', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-cfg-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ rooms: [{ id: 'room-demo', name: 'P1', secretSha256: 'a'.repeat(64) }] }));
    const err = await loadHubConfig(file, {}, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HubConfigError);
    expect((err as HubConfigError).problems).toEqual([{ path: '/rooms', message: expect.stringContaining('reception hub enroll-code') }]);
    expect((err as HubConfigError).message).toContain('đăng ký phòng');
    writeFileSync(file, JSON.stringify({ rooms: [] })); // an old `config init`'s empty list: nothing to refuse
    expect(await loadHubConfig(file, {}, {})).not.toHaveProperty('rooms');
  });
});
