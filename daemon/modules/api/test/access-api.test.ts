import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMOTE, TOKENS, apiFixture } from './api-fixture.js';

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('access and audit', () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  beforeAll(async () => {
    f = await apiFixture();
  });
  afterAll(() => f.close());

  it('no route is reachable without a token from a non-loopback address', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/cameras/cam1/home'],
      ['POST', '/api/v1/audio/channels/mic/mute'],
      ['GET', '/api/v1/health'],
    ] as const) {
      const res = await f.app.inject({ method, url, ...REMOTE, payload: method === 'POST' ? { muted: true } : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home', ...REMOTE, headers: bearer('wrong') })).statusCode).toBe(
      401,
    );
  });

  it('roles: monitor reads, officer controls, technician stores presets', async () => {
    const as = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      f.app.inject({ method, url, payload, ...REMOTE, headers: bearer(token) });
    expect((await as(TOKENS.monitor, 'GET', '/api/v1/health')).statusCode).toBe(200);
    expect((await as(TOKENS.monitor, 'POST', '/api/v1/cameras/cam1/home')).statusCode).toBe(403);
    expect((await as(TOKENS.officer, 'POST', '/api/v1/cameras/cam1/home')).statusCode).toBe(200);
    expect((await as(TOKENS.officer, 'POST', '/api/v1/cameras/cam1/presets', { name: 'x' })).statusCode).toBe(403);
    expect((await as(TOKENS.technician, 'POST', '/api/v1/cameras/cam1/presets', { name: 'x' })).statusCode).toBe(201);
    expect((await as(TOKENS.officer, 'GET', '/api/v1/audit')).statusCode).toBe(403);
  });

  it('refusals in the one error shape: 401 names no role and asks for a Bearer token, 403 names the role needed', async () => {
    const missing = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home', ...REMOTE });
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED' });
    const wrongRole = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/presets',
      payload: { name: 'x' },
      ...REMOTE,
      headers: bearer(TOKENS.officer),
    });
    expect(wrongRole.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'FORBIDDEN',
      message: 'role officer may not do this (needs technician)',
    });
    const notFound = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam9/home', ...REMOTE, headers: bearer(TOKENS.officer) });
    expect(notFound.json()).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND' });
    expect((await f.app.inject({ url: '/api/v1/nowhere' })).json()).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
    });
  });

  it('every control action and refusal is in the audit log: who, what, when, result', async () => {
    await f.app.inject({
      method: 'POST',
      url: '/api/v1/audio/channels/mic/mute',
      payload: { muted: true },
      ...REMOTE,
      headers: bearer(TOKENS.officer),
    });
    await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/999/goto', ...REMOTE, headers: bearer(TOKENS.officer) });
    await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home', ...REMOTE });
    const res = await f.app.inject({ url: '/api/v1/audit?limit=3', ...REMOTE, headers: bearer(TOKENS.technician) });
    const [refused, failed, ok] = res.json();
    expect(ok).toMatchObject({
      actor: 'officer-user',
      role: 'officer',
      action: 'audio.mute',
      result: 'ok',
      status: 200,
      target: { channel: 'mic' },
      request: { muted: true },
    });
    expect(failed).toMatchObject({ actor: 'officer-user', action: 'camera.preset.goto', result: 'failed', status: 404 });
    expect(failed.error).toMatch(/has no officer preset "999"/);
    expect(refused).toMatchObject({ actor: 'anonymous', result: 'refused', status: 401, ip: '10.1.2.3' });
    expect(Date.parse(ok.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('loopbackRole "none" requires tokens on loopback too', async () => {
    const strict = await apiFixture('none');
    expect((await strict.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home' })).statusCode).toBe(401);
    expect(
      (await strict.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home', headers: bearer(TOKENS.officer) })).statusCode,
    ).toBe(200);
    await strict.close();
  });

  it('serves the OpenAPI document with every route', async () => {
    const doc = (await f.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/health', '/api/v1/cameras/{camera}/presets/{token}/goto', '/api/v1/audio/channels/{channel}/mute']),
    );
    expect((await f.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
