import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../common/config/redact-config.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms, testHubDeps } from '../test/hub-fixture.js';
import { bareReport } from '../../common/contracts/test/samples.js';

// Remote operations through the real hub app (inject), with its state dir: auth (401/403), a pushed config
// refused naming its field, the op handed over in a report's answer, the room's result, a diagnostics
// bundle up (room token) and down (technician), persistence across a hub restart, the audit log.

const TECH = 'tech-token';
const OFFICER = 'officer-token';
const report = bareReport({ version: '0.1.0-test', uptimeS: 3 });

async function hub(stateDir: string, roomTokens?: string[]) {
  const built = await buildHub(
    testHubDeps({
      tokens: [
        { name: 'Kỹ thuật viên thử', sha256: sha256Hex(TECH), roles: ['technician'] },
        { name: 'Cán bộ thử', sha256: sha256Hex(OFFICER), roles: ['officer'] },
      ],
      stateDir,
    }),
  );
  await built.app.ready();
  const tokens = roomTokens ?? (await enrollRooms(built.enrollment, 2));
  const as = (token: string | undefined) => (token ? { authorization: `Bearer ${token}` } : {});
  return {
    ...built,
    tokens,
    ask: (body: object, token: string | undefined = TECH, room = 'room-demo') =>
      built.app.inject({ method: 'POST', url: `/api/v1/fleet/rooms/${room}/ops`, headers: as(token), payload: body }),
    list: (room = 'room-demo') =>
      built.app.inject({ method: 'GET', url: `/api/v1/fleet/rooms/${room}/ops`, headers: as(TECH) }).then((r) => r.json()),
    report: (body: object = {}) =>
      built.app
        .inject({ method: 'POST', url: '/api/v1/fleet/rooms/room-demo/report', headers: as(tokens[0]), payload: { ...report, ...body } })
        .then((r) => ({ status: r.statusCode, body: r.json() })),
  };
}

describe('fleet-ops at the hub', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'fleet-ops-'));
  let h: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => void (h = await hub(stateDir)));
  afterAll(() => h?.app.close());

  it('needs a technician: 401 without credential, 403 for an officer, 404 for an unknown room', async () => {
    expect((await h.ask({ kind: 'restart' }, '')).statusCode).toBe(401); // no credential
    const officer = await h.ask({ kind: 'restart' }, OFFICER);
    expect(officer.statusCode).toBe(403);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/v1/fleet/rooms/room-demo/ops', headers: { authorization: `Bearer ${OFFICER}` } }))
        .statusCode,
    ).toBe(403);
    expect((await h.ask({ kind: 'restart' }, TECH, 'room-99')).statusCode).toBe(404);
  });

  it('refuses a config the daemon would refuse, naming the field as a JSON pointer', async () => {
    const port = await h.ask({ kind: 'config', config: { api: { port: 70000 } } });
    expect(port.statusCode).toBe(400);
    expect(port.json()).toMatchObject({ code: 'CONFIG_INVALID', field: '/config/api/port' });
    const unknown = await h.ask({ kind: 'config', config: { fleet: { reportSecond: 5 } } });
    expect(unknown.json()).toMatchObject({ field: '/config/fleet/reportSecond' });
    // Cross-field rules too (common/config/room-cross-field.ts): two cameras with one id.
    const cam = { id: 'cam1', name: 'A', driver: 'sim' };
    expect((await h.ask({ kind: 'config', config: { cameras: [cam, cam] } })).json()).toMatchObject({ field: '/config/cameras/1/id' });
    expect((await h.ask({ kind: 'config', config: { room: { id: 'room-2' } } })).json()).toMatchObject({ field: '/config/room/id' });
    expect((await h.ask({ kind: 'config' })).json()).toMatchObject({ field: '/config' });
    expect((await h.ask({ kind: 'restart', config: {} })).json()).toMatchObject({ field: '/config' });
    expect((await h.ask({ kind: 'config', mode: 'replace', config: { api: { port: 8080 }, nonsense: 1 } })).json()).toMatchObject({
      field: '/config/nonsense',
    });
    expect(await h.list()).toEqual([]); // nothing refused was kept
  });

  it("pending → handed-over in the answer → the room's result with its reason; secrets redacted in the list", async () => {
    const cam = {
      id: 'cam1',
      name: 'Camera',
      driver: 'onvif',
      onvif: { xaddr: 'http://10.0.0.9/onvif/device_service', username: 'admin', password: 'hunter2' },
    };
    const ask = await h.ask({ kind: 'config', config: { cameras: [cam] } });
    expect(ask.statusCode, ask.body).toBe(202);
    const op = ask.json();
    expect(op).toMatchObject({ state: 'pending', kind: 'config', mode: 'merge', by: 'token:Kỹ thuật viên thử' });
    expect(JSON.stringify(op)).not.toContain('hunter2');
    expect(op.config.cameras[0].onvif.password).toBe(REDACTED);

    const first = await h.report();
    expect(first.status).toBe(200);
    expect(first.body.ops).toEqual([{ id: op.id, kind: 'config', mode: 'merge', config: { cameras: [cam] } }]); // the room gets the real one
    expect((await h.list())[0]).toMatchObject({ id: op.id, state: 'handed-over', handedOverAt: expect.any(String) });
    expect((await h.report()).body.ops).toHaveLength(1); // again until the room answers

    const at = new Date().toISOString();
    const why = 'phòng không khỏe sau 60 s / not healthy within 60 s: media offline';
    const done = await h.report({ opResults: [{ id: op.id, state: 'rolled-back', reason: why, at }] });
    expect(done.body.ops).toBeUndefined();
    expect((await h.list())[0]).toMatchObject({ state: 'rolled-back', reason: why, doneAt: at });
    // A late repeat of another result does not change a finished op.
    await h.report({ opResults: [{ id: op.id, state: 'applied', at }] });
    expect((await h.list())[0].state).toBe('rolled-back');
  });

  it('diagnostics: the room uploads its bundle with its token, a technician downloads it; audited; kept across a restart', async () => {
    const op = (await h.ask({ kind: 'diagnostics' })).json();
    const handed = (await h.report()).body.ops;
    expect(handed).toEqual([{ id: op.id, kind: 'diagnostics', uploadPath: `/api/v1/fleet/rooms/room-demo/ops/${op.id}/bundle` }]);
    const bytes = gzipSync(Buffer.from('a bundle'));
    const put = (token: string | undefined, url = handed[0].uploadPath) =>
      h.app.inject({
        method: 'PUT',
        url,
        headers: { 'content-type': 'application/gzip', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: bytes,
      });
    expect((await put(h.tokens[1])).statusCode).toBe(401); // another room's token
    expect((await put(TECH)).statusCode).toBe(403); // a person is not the room
    expect((await put(h.tokens[0], `/api/v1/fleet/rooms/room-demo/ops/op-nope-00000000/bundle`)).statusCode).toBe(404);
    expect((await put(h.tokens[0])).statusCode).toBe(204);
    await h.report({ opResults: [{ id: op.id, state: 'applied', reason: `${bytes.length} bytes`, at: new Date().toISOString() }] });

    const get = await h.app.inject({
      method: 'GET',
      url: `/api/v1/fleet/rooms/room-demo/ops/${op.id}/bundle`,
      headers: { authorization: `Bearer ${TECH}` },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('application/gzip');
    expect(get.rawPayload.equals(bytes)).toBe(true);
    expect(statSync(join(stateDir, 'fleet-ops.json')).mode & 0o777).toBe(0o600);

    const audit = readFileSync(join(stateDir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"action":"fleet.op.config"');
    expect(audit).toContain('"action":"fleet.op.diagnostics"');
    expect(audit).toContain('"action":"fleet.op.bundle.read"');

    await h.app.close();
    h = await hub(stateDir, h.tokens); // the registry is in the state dir too
    const ops = await h.list();
    expect(ops.map((o: { state: string }) => o.state)).toEqual(['applied', 'rolled-back']);
    expect(ops[0].bundle).toMatchObject({ bytes: bytes.length });
  });

  it("selftest: seconds within the self-test's bounds, only for that kind; handed over with them", async () => {
    expect((await h.ask({ kind: 'selftest', seconds: 2 })).json()).toMatchObject({ field: 'body.seconds' });
    expect((await h.ask({ kind: 'restart', seconds: 30 })).json()).toMatchObject({ field: '/seconds' });
    const op = (await h.ask({ kind: 'selftest', seconds: 20 })).json();
    expect(op).toMatchObject({ kind: 'selftest', seconds: 20, state: 'pending' });
    expect((await h.report()).body.ops).toEqual([{ id: op.id, kind: 'selftest', seconds: 20 }]);
    const why = 'tự kiểm tra đạt / self-test passed — hearing h1: 20 s, 5 segments';
    await h.report({ opResults: [{ id: op.id, state: 'applied', reason: why, at: new Date().toISOString() }] });
    expect((await h.list())[0]).toMatchObject({ id: op.id, state: 'applied', reason: why });
  });
});
