import Fastify from 'fastify';
import sensible from '@fastify/sensible';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { AppError, DeviceUnavailableError, NotFoundError } from '../errors.js';
import { authPlugin, type AuthPluginOptions, type Caller, type RouteRole } from './auth-plugin.js';
import { isLoopback, tokenFrom } from './credentials.js';
import { installErrorHandler } from './error-handler.js';
import { ErrorReply, errorResponses, sendError } from './error-reply.js';

// A server with two roles (reader < writer), tokens 'r' and 'w', loopback callers are readers.
// (Real servers type their roles by merging RouteRoles; this test keeps its own out of the program's.)
const role = (r: 'reader' | 'writer') => r as unknown as RouteRole;
const RANK: Record<string, number> = { none: 0, reader: 1, writer: 2 };
const auth: AuthPluginOptions = {
  roles: ['reader', 'writer'],
  identify(req, token): Caller | { refused: 401; message: string } {
    if (token === 'r' || token === 'w') return { name: token, role: token === 'r' ? 'reader' : 'writer', ip: req.ip, viaToken: true };
    if (token) return { refused: 401, message: 'unknown token' };
    return { name: 'anon', role: isLoopback(req.socket.remoteAddress) ? 'reader' : 'none', ip: req.ip, viaToken: false };
  },
  allows: (caller, needs) => needs.some((n) => RANK[caller.role]! >= RANK[n]!),
};

async function server(opts: Partial<AuthPluginOptions> = {}) {
  const app = Fastify();
  await app.register(sensible);
  app.addSchema(ErrorReply);
  await app.register(authPlugin, { ...auth, ...opts });
  installErrorHandler(app);
  const r = { response: errorResponses(400, 401, 403, 404, 409, 413, 422, 503) };
  app.get('/open', { config: { role: 'public' }, schema: r }, async (req) => ({ caller: req.caller.name }));
  app.get('/read', { config: { role: role('reader') }, schema: r }, async (req) => ({ caller: req.caller.name }));
  app.post('/write', { config: { role: role('writer') }, schema: { ...r, body: Type.Object({ n: Type.Integer() }) } }, async () => ({
    ok: true,
  }));
  app.get('/fail/:status', { config: { role: 'public' }, schema: r }, async (req, reply) => {
    const status = Number((req.params as { status: string }).status);
    if (status === 404) throw new NotFoundError('no such camera');
    if (status === 503) throw new DeviceUnavailableError('cam1', 'timeout');
    if (status === 409) throw app.httpErrors.conflict('already running');
    if (status === 413) throw app.httpErrors.payloadTooLarge('too big');
    if (status === 422) return sendError(reply, 422, 'MANIFEST_INVALID', 'bad chain', { offset: 12 });
    throw new AppError('odd', status, 'ODD');
  });
  app.get('/crash', { config: { role: 'public' } }, async () => {
    throw new Error('boom');
  });
  await app.ready();
  return app;
}
const LAN = { remoteAddress: '10.0.0.9' };

describe('one error shape', () => {
  it('labels each status with its own reason phrase and keeps code, field, offset', async () => {
    const app = await server();
    const expected: [number, string, string][] = [
      [404, 'Not Found', 'NOT_FOUND'],
      [409, 'Conflict', 'CONFLICT'],
      [413, 'Payload Too Large', 'PAYLOAD_TOO_LARGE'],
      [422, 'Unprocessable Entity', 'MANIFEST_INVALID'],
      [503, 'Service Unavailable', 'DEVICE_UNAVAILABLE'],
      [403, 'Forbidden', 'ODD'],
    ];
    for (const [status, error, code] of expected) {
      const res = await app.inject({ url: `/fail/${status}` });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ statusCode: status, error, code });
    }
    expect((await app.inject({ url: '/fail/422' })).json().offset).toBe(12);
    const bad = await app.inject({ method: 'POST', url: '/write', headers: { authorization: 'Bearer w' }, payload: { n: 'x' } });
    expect(bad.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'INVALID_REQUEST',
      message: 'body.n: must be integer',
      field: 'body.n',
    });
    const tooBig = await app.inject({
      method: 'POST',
      url: '/write',
      headers: { authorization: 'Bearer w', 'content-type': 'application/json' },
      payload: `{"n":1,"pad":"${'x'.repeat(2 * 1048576)}"}`,
    });
    expect(tooBig.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect((await app.inject({ url: '/nowhere?page=2' })).json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'Route GET:/nowhere not found',
    });
    expect((await app.inject({ url: '/crash' })).json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL',
      message: 'boom',
    });
    await app.close();
  });
});

describe('one auth plugin, role per route', () => {
  it('missing credential 401 (with WWW-Authenticate), unknown token 401, wrong role 403, right role passes', async () => {
    const app = await server();
    const missing = await app.inject({ url: '/read', ...LAN });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json()).toMatchObject({ error: 'Unauthorized', code: 'UNAUTHORIZED' });
    expect((await app.inject({ url: '/read', ...LAN, headers: { authorization: 'Bearer nope' } })).json()).toMatchObject({
      statusCode: 401,
      message: 'unknown token',
    });
    const wrong = await app.inject({ method: 'POST', url: '/write', payload: { n: 1 }, ...LAN, headers: { authorization: 'Bearer r' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ error: 'Forbidden', code: 'FORBIDDEN', message: 'role reader may not do this (needs writer)' });
    expect((await app.inject({ url: '/read', ...LAN, query: { token: 'r' } })).json()).toEqual({ caller: 'r' });
    expect((await app.inject({ url: '/read' })).json()).toEqual({ caller: 'anon' }); // loopback reader
    expect(
      (await app.inject({ method: 'POST', url: '/write', payload: { n: 1 }, ...LAN, headers: { authorization: 'bearer w' } })).statusCode,
    ).toBe(200);
    await app.close();
  });

  it("public routes identify nobody: a bad token there is the route's business", async () => {
    const app = await server();
    expect((await app.inject({ url: '/open', ...LAN, headers: { authorization: 'Bearer nope' } })).json()).toEqual({ caller: 'anonymous' });
    await app.close();
  });

  it('refuses at registration a route without a role (requireRole) or with a role the server does not have', async () => {
    const strict = Fastify();
    await strict.register(authPlugin, { ...auth, requireRole: true });
    await expect(async () => {
      strict.get('/x', async () => 'x');
      await strict.ready();
    }).rejects.toThrow(/GET \/x: no config.role/);
    const typo = Fastify();
    await typo.register(authPlugin, auth);
    await expect(async () => {
      typo.get('/y', { config: { role: 'officer' as never } }, async () => 'y');
      await typo.ready();
    }).rejects.toThrow(/unknown role officer/);
  });

  it('reads Bearer (any case) or ?token=; loopback includes IPv4-mapped', () => {
    expect(tokenFrom({ authorization: 'Bearer  abc ' })).toBe('abc');
    expect(tokenFrom({ authorization: 'Basic abc' }, { token: 't' })).toBe('t');
    expect(tokenFrom({}, undefined)).toBeUndefined();
    expect([
      isLoopback('::ffff:127.0.0.1'),
      isLoopback('::1'),
      isLoopback('127.9.9.9'),
      isLoopback('10.0.0.1'),
      isLoopback(undefined),
    ]).toEqual([true, true, true, false, false]);
  });
});
