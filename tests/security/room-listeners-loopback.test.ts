import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/config/config-error.js';
import { loadConfig } from '../../daemon/config/load-config.js';
import { loadGatewayConfig } from '../../gateway/config/load-gateway-config.js';

// Issue 10: "every listener that is not loopback-only serves HTTPS". The room's two listeners (daemon API,
// gateway local HTTP) serve plain http for the kiosk on the box; put on a network address they would carry
// tokens, the kiosk PIN and session tokens in clear. Such a config is refused (ConfigError naming the field:
// the CLI exits 78) rather than served.

const file = (body: object) => {
  const p = join(mkdtempSync(join(tmpdir(), 'room-listen-')), 'config.json');
  writeFileSync(p, JSON.stringify(body));
  return p;
};

describe('room listeners are loopback only', () => {
  it.each(['0.0.0.0', '::', '10.1.2.3', 'room-box.local'])('api.host %s → refused naming /api/host', async (host) => {
    const err = await loadConfig(file({ api: { host } }), {}).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/\/api\/host/);
    await expect(loadConfig(undefined, { RECEPTION_API_HOST: host })).rejects.toThrow(/\/api\/host/);
    await expect(loadGatewayConfig(file({ api: { host } }), {})).rejects.toThrow(/\/api\/host/);
  });

  it.each(['0.0.0.0', '192.168.1.20'])('gateway.host %s → refused naming /gateway/host, by the daemon and the gateway', async (host) => {
    await expect(loadGatewayConfig(file({ gateway: { host } }), {})).rejects.toThrow(/\/gateway\/host/);
    await expect(loadConfig(file({ gateway: { host } }), {})).rejects.toThrow(/\/gateway\/host/);
  });

  it('loopback addresses stay fine', async () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      expect((await loadConfig(file({ api: { host }, gateway: { host } }), {})).api.host).toBe(host);
      expect((await loadGatewayConfig(file({ api: { host }, gateway: { host } }), {})).gateway.host).toBe(host);
    }
  });
});
