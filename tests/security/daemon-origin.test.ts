import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiFixture } from '../../daemon/modules/api/test/api-fixture.js';

// Issue 10 (medium, room side): nothing checked who a request to the room daemon came from. A page
// elsewhere could post to the box through a browser on it (cross-site text/plain POST), and a DNS name
// rebound to 127.0.0.1 read the API as the loopback role. Now: Host must name this box (421), and an
// Origin on a state-changing request or a WebSocket upgrade must be the daemon's own (403).

describe('room daemon: Host and Origin', () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  let base: string;
  beforeAll(async () => {
    f = await apiFixture('monitor');
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    base = `127.0.0.1:${(f.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => f.close());

  it('a rebound DNS name gets 421, before any role; IP addresses and localhost are fine', async () => {
    const rebound = await f.app.inject({ url: '/api/v1/health', headers: { host: 'evil.example:8080' } });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.json()).toMatchObject({ statusCode: 421, code: 'MISDIRECTED' });
    for (const host of [base, 'localhost:8080', '[::1]:8080', '10.1.2.3:8080'])
      expect((await f.app.inject({ url: '/api/v1/health', headers: { host } })).statusCode, host).toBe(200);
  });

  it('a cross-site POST (text/plain, evil Origin) is refused 403 and does nothing', async () => {
    const before = (await f.app.inject({ url: '/api/v1/audio/channels', headers: { host: base } })).json();
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/audio/channels/mic/mute',
      headers: { host: base, origin: 'http://evil.example', 'content-type': 'text/plain' },
      payload: '{"muted":true}',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/origin http:\/\/evil\.example/);
    const unlock = await f.app.inject({
      method: 'POST',
      url: '/api/v1/kiosk/unlock',
      headers: { host: base, origin: 'null', 'content-type': 'application/json' },
      payload: { pin: '0000' },
    });
    expect(unlock.statusCode).toBe(403);
    expect((await f.app.inject({ url: '/api/v1/audio/channels', headers: { host: base } })).json()).toEqual(before);
  });

  it("the daemon's own page posts (same origin); a tool without Origin goes on to auth", async () => {
    const own = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/home',
      headers: { host: base, origin: `http://${base}`, authorization: 'Bearer officer-secret' },
    });
    expect(own.statusCode).toBe(200);
    const tool = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home', headers: { host: base } });
    expect(tool.statusCode).toBe(403); // the loopback monitor: on to auth, which says officer is needed
  });

  it('a WebSocket from another origin is refused at the upgrade', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://${base}/api/v1/events`, { origin: 'http://evil.example' });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => (ws.close(), resolve(101)));
      ws.once('error', () => resolve(-1));
    });
    expect(status).toBe(403);
    const ok = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://${base}/api/v1/events`, { origin: `http://${base}` });
      ws.once('open', () => (ws.close(), resolve(101)));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(ok).toBe(101);
  });
});
