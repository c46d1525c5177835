import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../common/http/credentials.js';
import { silentLogger } from '../../common/log.js';
import { demoRooms } from '../config/load-config.js';
import { buildHub } from '../create-hub.js';

// The hub on the one auth plugin, through inject(): each route declares its role; answers as before it.

const OFFICER = 'officer-token';
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const LAN = { remoteAddress: '10.1.2.3' };
const chunk = (room: string, hearing = 'h-auth') => ({
  method: 'PATCH' as const,
  url: `/api/v1/archive/hearings/${hearing}/files/seg-00000.ts`,
  headers: {
    ...bearer(room),
    'content-type': 'application/offset+octet-stream',
    'upload-offset': '0',
    'upload-length': '4',
    'upload-sha256': sha256Hex('abcd'),
  },
  payload: Buffer.from('ab'),
});

describe('hub auth (role per route)', () => {
  let app: Awaited<ReturnType<typeof buildHub>>['app'];
  beforeAll(async () => {
    const built = await buildHub({
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      rooms: demoRooms(2),
      allowLoopbackOfficers: true,
      officers: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER) }],
      ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
      stateDir: mkdtempSync(join(tmpdir(), 'hub-auth-')),
      archive: { enabled: true, dir: '', maxChunkMb: 4 },
      logger: silentLogger(),
    });
    app = built.app;
    await app.ready(); // every route declared a role, or building had thrown
  });
  afterAll(() => app?.close());

  it('401 without an officer credential: none off loopback, an unknown token (even on loopback), a room secret', async () => {
    const none = await app.inject({ url: '/api/v1/hearings', ...LAN });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json()).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED', message: 'a Bearer token is required' });
    expect((await app.inject({ url: '/metrics', headers: bearer('nope') })).json()).toMatchObject({
      statusCode: 401,
      message: 'unknown token',
    });
    expect((await app.inject({ url: '/api/v1/archive/hearings', ...LAN, headers: bearer('demo-room-secret') })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/hearings', ...LAN, headers: bearer(OFFICER) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/hearings' })).statusCode).toBe(200); // loopback officer (allowLoopbackOfficers)
  });

  it("room routes take a room secret only: none or an officer token 401; a report names its room (another room's secret 401, unknown room 404)", async () => {
    expect((await app.inject({ ...chunk('') })).statusCode).toBe(401);
    expect((await app.inject({ ...chunk(OFFICER) })).json()).toMatchObject({
      statusCode: 401,
      message: 'a room secret (Bearer) is required',
    });
    const report = (room: string, secret: string) =>
      app.inject({ method: 'POST', url: `/api/v1/fleet/rooms/${room}/report`, headers: bearer(secret), payload: {} });
    expect((await report('room-demo', 'demo-room-secret-2')).statusCode).toBe(401);
    expect((await report('room-9', 'demo-room-secret')).json()).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND' });
    expect((await report('room-demo', 'demo-room-secret')).json()).toMatchObject({ statusCode: 400, code: 'INVALID_REQUEST' }); // past auth: the body
  });

  it("403: a room at another room's hearing (the hearing belongs to the first room that uploads)", async () => {
    expect((await app.inject(chunk('demo-room-secret'))).statusCode).toBe(204);
    const other = await app.inject(chunk('demo-room-secret-2'));
    expect(other.json()).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      code: 'FORBIDDEN',
      message: 'hearing "h-auth" belongs to another room',
    });
    const head = await app.inject({
      method: 'HEAD',
      url: '/api/v1/archive/hearings/h-auth/files/seg-00000.ts',
      headers: bearer('demo-room-secret-2'),
    });
    expect(head.statusCode).toBe(403);
    const officerHead = await app.inject({
      method: 'HEAD',
      url: '/api/v1/archive/hearings/h-auth/files/seg-00000.ts',
      ...LAN,
      headers: bearer(OFFICER),
    });
    expect([officerHead.statusCode, officerHead.headers['upload-offset']]).toEqual([200, '2']);
  });

  it('public routes identify nobody (a stale token does not lock the console out); WHIP takes no ?token=', async () => {
    expect((await app.inject({ url: '/api/v1/archive/key', ...LAN, headers: bearer('stale') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/console/', ...LAN, headers: bearer('stale') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'OPTIONS', url: '/whip/hearings/h1', ...LAN })).statusCode).toBe(204);
    const viaQuery = await app.inject({
      method: 'POST',
      url: `/whip/hearings/h1?token=${OFFICER}`,
      ...LAN,
      headers: { 'content-type': 'application/sdp' },
      payload: 'v=0',
    });
    expect(viaQuery.statusCode).toBe(401);
    const viaHeader = await app.inject({
      method: 'POST',
      url: '/whip/hearings/h1',
      ...LAN,
      headers: { ...bearer(OFFICER), 'content-type': 'application/sdp' },
      payload: 'v=0',
    });
    expect(viaHeader.json()).toMatchObject({ statusCode: 404, error: 'Not Found' }); // past auth: no such hearing
  });

  it('errors keep their own reason phrase: 404, 409, 400 with the field', async () => {
    expect((await app.inject({ url: '/api/v1/hearings/nope' })).json()).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
    });
    const h = (await app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'A', rooms: ['room-demo'] } })).json();
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'B', rooms: ['room-demo'] } })).json(),
    ).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect((await app.inject({ method: 'POST', url: `/api/v1/hearings/${h.id}/rooms`, payload: {} })).json()).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      field: 'body.room',
    });
  });
});
