import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { silentLogger } from '../../common/log.js';
import { createHubTrust } from '../../common/tls/hub-trust.js';
import { addAccount, sessionCookie } from '../../hub/accounts/test/signin-app.js';
import { TlsConfig } from '../../hub/config/schema.js';
import { buildHub, createHub } from '../../hub/create-hub.js';
import { resolveHubTls } from '../../hub/tls/hub-tls.js';

// The whole hub (buildHub): a person signs in with a local account and the one auth plugin takes the
// session cookie — the role decides, a state-changing request needs the session's csrf token, and the
// loopback (off by default) gives nothing without the cookie.

const PASSWORD = 'mat-khau-can-bo-2026';
let hub: Awaited<ReturnType<typeof buildHub>> | undefined;
afterEach(async () => {
  await hub?.app.close();
  hub = undefined;
});

async function start() {
  const stateDir = mkdtempSync(join(tmpdir(), 'hub-people-'));
  await addAccount(stateDir, 'lan', PASSWORD, ['officer']);
  await addAccount(stateDir, 'tuan', PASSWORD, ['monitor']);
  hub = await buildHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    tokens: [],
    allowLoopbackOfficers: false,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir,
    archive: { enabled: false, dir: '', maxChunkMb: 4 },
    logger: silentLogger(),
  });
  return hub.app;
}

async function signIn(app: Awaited<ReturnType<typeof start>>, name: string) {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { name, password: PASSWORD },
    headers: { host: '127.0.0.1' },
  });
  expect(r.statusCode).toBe(200);
  return { cookie: sessionCookie(r.headers['set-cookie'])!, csrf: r.json().csrf as string };
}

describe('sessions at the hub', { timeout: 60_000 }, () => {
  it('no cookie: 401 on an officer route (from loopback too)', async () => {
    const app = await start();
    const r = await app.inject({ url: '/api/v1/hearings', remoteAddress: '127.0.0.1', headers: { host: '127.0.0.1' } });
    expect(r.statusCode).toBe(401);
  });

  it("an officer's session reads and, with the csrf token, changes; without it 403", async () => {
    const app = await start();
    const { cookie, csrf } = await signIn(app, 'lan');
    const h = { cookie, host: '127.0.0.1' };
    expect((await app.inject({ url: '/api/v1/hearings', headers: h })).statusCode).toBe(200);
    const body = { title: 'Phiên thử', rooms: [] };
    const forged = await app.inject({ method: 'POST', url: '/api/v1/hearings', headers: h, payload: body });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().message).toMatch(/csrf/i);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/hearings', headers: { ...h, 'x-csrf-token': csrf }, payload: body });
    expect(ok.statusCode).toBe(201);
  });

  it('a monitor signed in may look but gets 403 naming the role when creating a hearing', async () => {
    const app = await start();
    const { cookie, csrf } = await signIn(app, 'tuan');
    const h = { cookie, host: '127.0.0.1', 'x-csrf-token': csrf };
    expect((await app.inject({ url: '/api/v1/hearings', headers: h })).statusCode).toBe(200); // monitors look
    const r = await app.inject({ method: 'POST', url: '/api/v1/hearings', headers: h, payload: { title: 'x', rooms: [] } });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toMatch(/officer/);
  });

  it('signed out: the cookie is nobody; sign-ins and sign-outs are in the audit log', async () => {
    const app = await start();
    const { cookie, csrf } = await signIn(app, 'lan');
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': csrf, host: '127.0.0.1' },
    });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/hearings', headers: { cookie, host: '127.0.0.1' } })).statusCode).toBe(401);
    const kept = (await hub!.audit.entries({})).map((e) => [e.actor, e.action, e.outcome]);
    expect(kept).toEqual(
      expect.arrayContaining([
        ['lan', 'signin', 'ok'],
        ['lan', 'signout', 'ok'],
      ]),
    );
  });

  it('over https the session cookie is Secure (hub with its internal CA)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'hub-people-tls-'));
    await addAccount(stateDir, 'lan', PASSWORD, ['officer']);
    const tls = await resolveHubTls({
      tls: Value.Default(TlsConfig, { mode: 'internal-ca' }) as TlsConfig,
      host: '127.0.0.1',
      publicUrl: '',
      stateDir,
    });
    const https = createHub({
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      tokens: [],
      allowLoopbackOfficers: false,
      ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
      stateDir,
      archive: { enabled: false, dir: '', maxChunkMb: 4 },
      tls,
      logger: silentLogger(),
    });
    await https.start();
    const trust = createHubTrust({ caPem: tls.caPem });
    try {
      expect(https.address()).toMatch(/^https:/);
      const r = await trust.fetch(`${https.address()}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'lan', password: PASSWORD }),
      });
      expect(r.status).toBe(200);
      const set = r.headers.get('set-cookie') ?? '';
      expect(set).toMatch(/^reception_session=[^;]+;.*Secure/);
      expect(set).toMatch(/HttpOnly/);
      const me = await trust.fetch(`${https.address()}/api/v1/hearings`, { headers: { cookie: set.split(';')[0]! } });
      expect(me.status).toBe(200);
    } finally {
      await trust.close();
      await https.stop();
    }
  });

  it('the sign-in page is served to anyone', async () => {
    const app = await start();
    const r = await app.inject({ url: '/console/signin.html', headers: { host: '127.0.0.1' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Đăng nhập');
  });
});
