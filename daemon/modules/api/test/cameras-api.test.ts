import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFixture } from './api-fixture.js';

describe('camera API', () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  beforeAll(async () => {
    f = await apiFixture();
  });
  afterAll(() => f.close());

  it('lists cameras with health', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/api/v1/cameras' });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((c: { id: string }) => c.id)).toEqual(['cam1', 'cam2']);
    expect(res.json()[0].health.state).toBe('online');
  });

  it('moves, stores a preset, recalls it and the camera gets there', async () => {
    let res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/move/absolute',
      payload: { position: { pan: 0.5, tilt: 0.2, zoom: 0.1 } },
    });
    expect(res.statusCode).toBe(200);
    await expect
      .poll(async () => (await f.app.inject({ url: '/api/v1/cameras/cam1/status' })).json().moveStatus.panTilt, { timeout: 5000 })
      .toBe('IDLE');
    res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets', payload: { name: 'Bàn' } });
    expect(res.statusCode).toBe(201);
    const token = res.json().token;
    expect((await f.app.inject({ url: '/api/v1/cameras/cam1/presets' })).json()).toContainEqual(
      expect.objectContaining({ token, name: 'Bàn công dân' }),
    );
    await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home' });
    res = await f.app.inject({ method: 'POST', url: `/api/v1/cameras/cam1/presets/${token}/goto` });
    expect(res.statusCode).toBe(200);
    await expect
      .poll(async () => (await f.app.inject({ url: '/api/v1/cameras/cam1/status' })).json().position.pan, { timeout: 5000 })
      .toBeCloseTo(0.5, 3);
  });

  it('continuous move then stop', async () => {
    expect(
      (
        await f.app.inject({
          method: 'POST',
          url: '/api/v1/cameras/cam1/move/continuous',
          payload: { velocity: { pan: 0.5, tilt: 0 }, timeoutMs: 5000 },
        })
      ).statusCode,
    ).toBe(200);
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/stop' })).statusCode).toBe(200);
    expect((await f.app.inject({ url: '/api/v1/cameras/cam1/status' })).json().moveStatus.panTilt).toBe('IDLE');
  });

  it('unknown camera or preset is 404', async () => {
    expect((await f.app.inject({ url: '/api/v1/cameras/nope/status' })).statusCode).toBe(404);
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/77/goto' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('invalid move values are 400 naming the field', async () => {
    let res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/move/absolute',
      payload: { position: { pan: 3, tilt: 0, zoom: 0 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('body.position.pan');
    res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/move/absolute', payload: { position: { pan: 0, zoom: 0 } } });
    expect(res.json().field).toBe('body.position.tilt');
    res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/move/absolute',
      headers: { 'content-type': 'application/json' },
      payload: '{"position":',
    });
    expect(res.statusCode).toBe(400);
  });

  it('an offline camera answers 503 fast, and the other camera keeps working meanwhile', async () => {
    f.slow.faults.latencyMs = 10_000; // hangs far past the timeout
    const t0 = Date.now();
    const [hung, other] = await Promise.all([
      f.app.inject({ url: '/api/v1/cameras/cam2/status' }),
      f.app.inject({ url: '/api/v1/cameras/cam1/status' }).then((r) => ({ r, ms: Date.now() - t0 })),
    ]);
    expect(hung.statusCode).toBe(503);
    expect(hung.json().message).toMatch(/timed out/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(other.r.statusCode).toBe(200);
    expect(other.ms).toBeLessThan(500);
    f.slow.faults.latencyMs = 0;
    f.slow.setOffline(true);
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam2/home' });
    expect(res.statusCode).toBe(503);
    expect((await f.app.inject({ url: '/api/v1/health' })).json().status).toBe('degraded');
    f.slow.setOffline(false);
  });
});
