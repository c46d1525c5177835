import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { createHubTrust } from '../../common/tls/hub-trust.js';
import { tlsErrorCode } from '../../common/tls/tls-errors.js';
import { freePort } from '../helpers/free-port.js';
import { CLI } from '../helpers/room-processes.js';

// `reception hub` as a process, listening on every interface with the default tls.mode (auto): it serves
// https with its internal CA, keeps that CA across restarts, and refuses to start on plain http there.

type Ready = { url: string; tls: { mode: string; caSha256?: string } };
let dir: string;
let port: number;
let hub: ReadyChild<Ready> | undefined;

const writeConfig = (name: string, config: object) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
};
const start = (config: string) =>
  spawnReady<Ready>(process.execPath, [CLI, 'hub', '--config', config, '--port', String(port)], {
    logFile: join(dir, 'hub.log'),
    timeoutMs: 30_000,
  });

/** GET /api/v1/tls/ca at 127.0.0.1 as if reached by `servername` (TLS) with `Host: host` → the status. */
function byName(servername: string, host: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, servername, ca, path: '/api/v1/tls/ca', headers: { host: `${host}:${port}` }, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-tls-e2e-'));
  port = await freePort();
});
afterAll(async () => {
  await hub?.stop('SIGINT');
  rmSync(dir, { recursive: true, force: true });
});

describe('reception hub on a network address', () => {
  it('serves https with its internal CA by default; clients need that CA; a restart keeps the CA and the certificate', async () => {
    const stateDir = join(dir, 'state');
    const config = writeConfig('hub.json', { host: '0.0.0.0', stateDir, tls: { hostnames: ['tiep-dan.test'] } });
    hub = await start(config);
    expect(hub.ready.url).toBe(`https://0.0.0.0:${port}`);
    const caPem = readFileSync(join(stateDir, 'tls', 'ca.pem'), 'utf8');
    expect(statSync(join(stateDir, 'tls', 'ca.key')).mode & 0o777).toBe(0o600);
    expect(hub.ready.tls).toEqual({ mode: 'internal-ca', caSha256: new X509Certificate(caPem).fingerprint256 });
    const serverPem = readFileSync(join(stateDir, 'tls', 'server.pem'), 'utf8');

    const trust = createHubTrust({ caPem });
    const url = `https://127.0.0.1:${port}/api/v1/tls/ca`;
    expect(await (await trust.fetch(url)).text()).toBe(caPem);
    const blind = createHubTrust();
    expect(tlsErrorCode(await blind.fetch(url).catch((e) => e))).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    await blind.close();
    await trust.close(); // the pooled connection would outlive the first process
    // A name from tls.hostnames: in the certificate, and a Host the hub answers (not 421); another name is not.
    expect(await byName('tiep-dan.test', 'tiep-dan.test', caPem)).toBe(200);
    expect(await byName('tiep-dan.test', 'evil.example', caPem)).toBe(421);
    expect(await byName('evil.example', 'evil.example', caPem).catch((e: NodeJS.ErrnoException) => e.code)).toBe(
      'ERR_TLS_CERT_ALTNAME_INVALID',
    );

    await hub.stop('SIGTERM');
    hub = await start(config);
    expect(hub.ready.tls.caSha256).toBe(new X509Certificate(caPem).fingerprint256);
    expect(readFileSync(join(stateDir, 'tls', 'ca.pem'), 'utf8')).toBe(caPem);
    expect(readFileSync(join(stateDir, 'tls', 'server.pem'), 'utf8')).toBe(serverPem);
    const again = createHubTrust({ caPem }); // what an enrolled room holds: still good after the restart
    expect((await again.fetch(url)).status).toBe(200);
    await again.close();
    await hub.stop('SIGINT');
    hub = undefined;
  }, 120_000); // two hub starts and stops: a generous budget on a loaded box, not a speed check

  it('tls.mode "off" on 0.0.0.0 (file or RECEPTION_HUB_TLS_MODE) exits 78 naming tls.mode, before listening', () => {
    const off = writeConfig('off.json', { host: '0.0.0.0', stateDir: join(dir, 'off'), tls: { mode: 'off' } });
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [CLI, 'hub', ...args, '--port', String(port)], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        timeout: 30_000,
      });
    const byFile = run(['--config', off]);
    expect(byFile.status).toBe(78);
    expect(byFile.stderr).toContain('at /tls/mode: tls.mode "off" on 0.0.0.0');
    expect(byFile.stdout).not.toContain('"ready"');
    const byEnv = run(['--config', writeConfig('net.json', { host: '0.0.0.0', stateDir: join(dir, 'env') })], {
      RECEPTION_HUB_TLS_MODE: 'off',
    });
    expect(byEnv.status).toBe(78);
    expect(byEnv.stderr).toContain('/tls/mode');
  }, 90_000);
});
