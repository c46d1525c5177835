import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiFixture } from './api-fixture.js';

describe('audio API and events', () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  let base: string;
  beforeAll(async () => {
    f = await apiFixture();
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const a = f.app.server.address() as { port: number };
    base = `127.0.0.1:${a.port}`;
  });
  afterAll(() => f.close());

  it('mutes, sets and reads levels, recalls presets', async () => {
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/audio/channels/mic/mute', payload: { muted: true } })).statusCode).toBe(200);
    expect((await f.app.inject({ method: 'PUT', url: '/api/v1/audio/channels/speaker/level', payload: { db: -6.5 } })).statusCode).toBe(
      200,
    );
    expect((await f.app.inject({ url: '/api/v1/audio/channels/speaker/level' })).json()).toEqual({ db: -6.5 });
    const channels = (await f.app.inject({ url: '/api/v1/audio/channels' })).json();
    expect(channels).toContainEqual(expect.objectContaining({ id: 'mic', muted: true }));
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/audio/presets/1001/recall' })).statusCode).toBe(200);
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/audio/presets/4242/recall' })).statusCode).toBe(404);
  });

  it('bad values: 400 naming the field; unknown channel: 404', async () => {
    const res = await f.app.inject({ method: 'PUT', url: '/api/v1/audio/channels/mic/level', payload: { db: 50 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('body.db');
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/audio/channels/nope/mute', payload: { muted: true } })).statusCode).toBe(
      404,
    );
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/audio/channels/mic/mute', payload: { muted: 'yes' } })).statusCode).toBe(
      400,
    );
  });

  it('streams meter levels and device state changes over the events WebSocket', async () => {
    const ws = new WebSocket(`ws://${base}/api/v1/events`);
    const seen = new Map<string, unknown>();
    ws.on('message', (m) => {
      const e = JSON.parse(String(m));
      if (!seen.has(e.type)) seen.set(e.type, e.data);
    });
    await new Promise((r) => ws.once('open', r));
    await expect.poll(() => seen.has('meter'), { timeout: 3000 }).toBe(true);
    f.slow.setOffline(true);
    await expect.poll(() => seen.get('device'), { timeout: 3000 }).toMatchObject({ device: 'cam2', health: { state: 'offline' } });
    f.slow.setOffline(false);
    ws.close();
  });

  it('refuses the events WebSocket to anonymous remote clients', async () => {
    const res = await f.app.inject({
      url: '/api/v1/events',
      remoteAddress: '10.0.0.9',
      headers: {
        connection: 'upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    expect(res.statusCode).toBe(401);
  });
});
