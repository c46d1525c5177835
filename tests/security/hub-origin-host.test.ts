import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../common/http/credentials.js';
import { silentLogger } from '../../common/log.js';
import { createHub } from '../../hub/create-hub.js';
import { until } from '../helpers/until.js';

// Issue 10 item 4 and the medium findings, as a hostile web page or a DNS-rebinding attacker would try
// them against a hub that trusts loopback (the demo's opt-in: the worst case): a cross-site text/plain
// POST ended a hearing; a WebSocket from any page joined signaling; any Host name was answered;
// `?token=` put credentials in URLs. Real sockets (the browser's view), not inject().

const OFFICER = 'origin-test-officer';
const EVIL = 'https://evil.example';
let hub: ReturnType<typeof createHub>;
let base = '';
let port = 0;

const post = (path: string, headers: Record<string, string>, body = '') => fetch(`${base}${path}`, { method: 'POST', headers, body });
/** A WebSocket upgrade with these headers: 'open' or the refusal's HTTP status. */
const upgrade = (url: string, headers: Record<string, string>) =>
  new Promise<number | 'open'>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', reject);
  });

beforeAll(async () => {
  hub = createHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: 'https://hub.province.example',
    tokens: [{ name: 'officer', sha256: sha256Hex(OFFICER), roles: ['officer'] }],
    allowLoopbackOfficers: true,
    allowedOrigins: ['https://console.province.example'],
    allowedHosts: ['reception.local'],
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir: mkdtempSync(join(tmpdir(), 'hub-origin-')),
    logger: silentLogger(),
  });
  await hub.start();
  base = hub.address();
  port = Number(new URL(base).port);
});
afterAll(() => hub?.stop());

describe('Origin allow-list', () => {
  it('a cross-site text/plain POST (a form on evil.example) does not end a hearing: 403, the hearing stays active', async () => {
    const h = hub.store!.create('Phiên thử', []);
    const r = await post(`/api/v1/hearings/${h.id}/end`, { origin: EVIL, 'content-type': 'text/plain' }, 'x');
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ code: 'FORBIDDEN_ORIGIN', message: expect.stringContaining(EVIL) });
    expect(hub.store!.get(h.id).state).toBe('active');
    // The same request from the hub's own page, or from a configured console origin, goes through.
    expect((await post(`/api/v1/hearings/${h.id}/end`, { origin: base })).status).toBe(200);
  });

  it('an evil Origin is refused even with a valid Bearer token; null and garbage origins too', async () => {
    for (const origin of [EVIL, 'null', `http://127.0.0.1:${port + 1}`, 'https://hub.province.example.evil.example']) {
      const r = await post(
        '/api/v1/hearings',
        { origin, authorization: `Bearer ${OFFICER}`, 'content-type': 'application/json' },
        '{"title":"x"}',
      );
      expect(r.status, origin).toBe(403);
    }
    for (const origin of ['https://hub.province.example', 'https://console.province.example']) {
      const r = await post(
        '/api/v1/hearings',
        { origin, authorization: `Bearer ${OFFICER}`, 'content-type': 'application/json' },
        '{"title":"x"}',
      );
      expect(r.status, origin).toBe(201);
    }
  });

  it("a WebSocket upgrade from an evil page is refused (403) before signaling; the hub's own page connects", async () => {
    const url = `${base.replace('http', 'ws')}/api/v1/signal`;
    expect(await upgrade(url, { origin: EVIL })).toBe(403);
    expect(await upgrade(url, { origin: base })).toBe('open');
    expect(await upgrade(url, {})).toBe('open'); // no Origin: not a browser (a room's gateway); its hello is checked
  });

  it('a refused signaling hello (a wrong token) is closed 4401 and written to the audit log', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/signal`, { headers: { authorization: 'Bearer stolen-or-stale' } });
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, kind: 'officer', id: 'Mallory' }));
    const code = await new Promise<number>((r) => ws.on('close', (c) => r(c)));
    expect(code).toBe(4401);
    const audit = await until('the refusal in the audit log', 5000, async () => {
      const entries = await hub.audit!.entries({ action: 'refused', limit: 1000 });
      return entries.find((e) => e.target === 'WS /api/v1/signal');
    });
    expect(audit).toMatchObject({ actor: 'anonymous', outcome: 'refused', reason: expect.stringContaining('unknown token') });
  });

  it('WHIP/WHEP CORS: only configured origins get Access-Control-Allow-Origin, never *', async () => {
    const pre = (origin: string) => fetch(`${base}/whep/hearings/h1`, { method: 'OPTIONS', headers: { origin } });
    expect((await pre(EVIL)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await pre('https://console.province.example')).headers.get('access-control-allow-origin')).toBe(
      'https://console.province.example',
    );
  });
});

describe('Host check (DNS rebinding)', () => {
  it('a name the hub does not answer to gets 421, with or without credentials; IPs, localhost, publicUrl and allowedHosts pass', async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        // fetch() will not send a foreign Host header; node:http will.
        import('node:http').then(({ request }) =>
          request({ host: '127.0.0.1', port, path: '/api/v1/hearings', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
            .on('error', reject)
            .end(),
        );
      });
    expect(await get(`rebind.evil.example:${port}`)).toBe(421);
    expect(await get('rebind.evil.example')).toBe(421);
    for (const ok of [`127.0.0.1:${port}`, `localhost:${port}`, 'hub.province.example', 'reception.local:443', `[::1]:${port}`])
      expect(await get(ok), ok).toBe(200); // loopback opted in: the rebinding page would have been an officer
  });
});

describe('no credentials in URLs', () => {
  it('?token= is refused on REST, WHIP, archive downloads and the signaling upgrade — even a valid token', async () => {
    for (const path of ['/api/v1/hearings', '/api/v1/archive/hearings/h/files/seg-00000.ts', '/metrics'])
      expect((await fetch(`${base}${path}?token=${OFFICER}`)).status, path).toBe(400);
    expect((await post(`/whip/hearings/h1?token=${OFFICER}`, { 'content-type': 'application/sdp' }, 'v=0')).status).toBe(400);
    expect(await upgrade(`${base.replace('http', 'ws')}/api/v1/signal?token=${OFFICER}`, {})).toBe(400);
    const r = await fetch(`${base}/api/v1/hearings?access_token=${OFFICER}`);
    expect(await r.json()).toMatchObject({ statusCode: 400, code: 'CREDENTIAL_IN_URL' });
    // Audited (a leaked token is worth knowing about), without the token itself; public routes too.
    expect((await fetch(`${base}/console/?token=${OFFICER}`)).status).toBe(400);
    const entries = await until('the refusals in the audit log', 5000, async () => {
      const all = await hub.audit!.entries({ action: 'refused', limit: 1000 });
      return all.some((e) => e.target === 'GET /console/') && all;
    });
    expect(entries).toContainEqual(expect.objectContaining({ target: 'GET /api/v1/hearings', reason: expect.stringContaining('400') }));
    expect(JSON.stringify(entries)).not.toContain(OFFICER);
  });

  it("a public route's own 401 (no session yet) is not a refusal in the audit log", async () => {
    expect((await fetch(`${base}/api/v1/session`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/hearings/marker`, { headers: { authorization: 'Bearer marker' } })).status).toBe(401);
    const all = await until('the refusal after it in the audit log', 5000, async () => {
      const e = await hub.audit!.entries({ action: 'refused', limit: 1000 });
      return e.some((x) => x.target === 'GET /api/v1/hearings/marker') && e;
    });
    expect(all.filter((e) => e.target === 'GET /api/v1/session')).toEqual([]);
  });
});
