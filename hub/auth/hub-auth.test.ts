import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../common/http/credentials.js';
import { silentLogger } from '../../common/log.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms } from '../test/hub-fixture.js';

// The hub on the one auth plugin, through inject(): each route declares its roles; tokens carry roles.

const OFFICER = 'officer-token';
const MONITOR = 'monitor-token';
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

async function hub(allowLoopbackOfficers: boolean) {
  const built = await buildHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    allowLoopbackOfficers,
    tokens: [
      { name: 'Cán bộ thử', sha256: sha256Hex(OFFICER), roles: ['officer'] },
      { name: 'giám sát', sha256: sha256Hex(MONITOR), roles: ['monitor'] },
    ],
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir: mkdtempSync(join(tmpdir(), 'hub-auth-')),
    archive: { enabled: true, dir: '', maxChunkMb: 4 },
    logger: silentLogger(),
  });
  await built.app.ready(); // every route declared a role, or building had thrown
  rooms = await enrollRooms(built.enrollment, 2); // room-demo, room-2: enrolled (the only way a room is known)
  return built.app;
}
let rooms: string[] = [];

describe('hub auth (roles per route)', () => {
  let app: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => {
    app = await hub(false);
  });
  afterAll(() => app?.close());

  it('401 without a credential — from loopback too (no loopback officers by default); an unknown token 401', async () => {
    const none = await app.inject({ url: '/api/v1/hearings', ...LAN });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED' });
    expect((await app.inject({ url: '/api/v1/hearings' })).statusCode).toBe(401); // inject comes from 127.0.0.1
    expect((await app.inject({ url: '/metrics', headers: bearer('nope') })).json()).toMatchObject({
      statusCode: 401,
      message: 'unknown token',
    });
    expect((await app.inject({ url: '/api/v1/hearings', ...LAN, headers: bearer(OFFICER) })).statusCode).toBe(200);
  });

  it('403 names the role needed: a monitor may look at hearings but not create one; a room token is no person', async () => {
    expect((await app.inject({ url: '/api/v1/hearings', headers: bearer(MONITOR) })).statusCode).toBe(200);
    const create = await app.inject({ method: 'POST', url: '/api/v1/hearings', headers: bearer(MONITOR), payload: { title: 'x' } });
    expect(create.json()).toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: 'token:giám sát: cần vai trò officer / needs role officer',
    });
    const room = await app.inject({ url: '/api/v1/archive/hearings', ...LAN, headers: bearer(rooms[0]!) });
    expect(room.json()).toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('needs role officer or supervisor or archivist'),
    });
  });

  it("room routes: an officer token 403, no credential 401; a report names its room (another room's token 401, unknown room 404)", async () => {
    expect((await app.inject({ ...chunk('') })).statusCode).toBe(401);
    expect((await app.inject({ ...chunk(OFFICER) })).json()).toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('needs role room'),
    });
    const report = (room: string, secret: string) =>
      app.inject({ method: 'POST', url: `/api/v1/fleet/rooms/${room}/report`, headers: bearer(secret), payload: {} });
    expect((await report('room-demo', rooms[1]!)).statusCode).toBe(401);
    expect((await report('room-9', rooms[0]!)).json()).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND' });
    expect((await report('room-demo', rooms[0]!)).json()).toMatchObject({ statusCode: 400, code: 'INVALID_REQUEST' }); // past auth: the body
  });

  it('public routes identify nobody (a stale token does not lock the console out); a credential in the URL is refused (400)', async () => {
    expect((await app.inject({ url: '/api/v1/archive/key', ...LAN, headers: bearer('stale') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/console/', ...LAN, headers: bearer('stale') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'OPTIONS', url: '/whip/hearings/h1', ...LAN })).statusCode).toBe(204);
    for (const url of [`/whip/hearings/h1?token=${OFFICER}`, `/api/v1/hearings?token=${OFFICER}`, `/console/?access_token=x`]) {
      const r = await app.inject({
        method: url.startsWith('/whip') ? 'POST' : 'GET',
        url,
        ...LAN,
        headers: { 'content-type': 'application/sdp' },
        payload: url.startsWith('/whip') ? 'v=0' : undefined,
      });
      expect(r.json(), url).toMatchObject({ statusCode: 400, code: 'CREDENTIAL_IN_URL' });
    }
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
    const o = bearer(OFFICER);
    expect((await app.inject({ url: '/api/v1/hearings/nope', headers: o })).json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const h = (
      await app.inject({ method: 'POST', url: '/api/v1/hearings', headers: o, payload: { title: 'A', rooms: ['room-demo'] } })
    ).json();
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/hearings', headers: o, payload: { title: 'B', rooms: ['room-demo'] } })).json(),
    ).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect((await app.inject({ method: 'POST', url: `/api/v1/hearings/${h.id}/rooms`, headers: o, payload: {} })).json()).toMatchObject({
      statusCode: 400,
      field: 'body.room',
    });
  });
});

describe('hub auth with allowLoopbackOfficers (the demo opts in)', () => {
  let app: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => {
    app = await hub(true);
  });
  afterAll(() => app?.close());

  it('a loopback caller holds every role without a credential; off loopback still 401; a wrong token still 401 on loopback', async () => {
    expect((await app.inject({ url: '/api/v1/hearings' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/audit' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/hearings', ...LAN })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/hearings', headers: bearer('stale') })).statusCode).toBe(401);
  });
});
