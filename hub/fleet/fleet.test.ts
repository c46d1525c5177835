import { PEOPLE_ROLES } from '../auth/identity.js';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBook } from '../../common/evidence/test/chain-fixture.js';
import { silentLogger } from '../../common/log.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms, OFFICER_TOKEN } from '../test/hub-fixture.js';
import type { RoomReport } from '../../common/contracts/fleet.js';

// The hub's fleet module through the real app (inject): room reports, staleness on an injected
// clock, health in /api/v1/rooms and /metrics, reception book entries and their delivery state.

const { updatedAt: _u, ...entry } = sampleBook();

function sampleReport(over: Partial<RoomReport> = {}): RoomReport {
  return {
    at: new Date().toISOString(),
    version: '0.1.0-test',
    uptimeS: 12.5,
    status: 'ok',
    reportSeconds: 10,
    devices: [
      { id: 'cam1', kind: 'camera', state: 'online' },
      { id: 'audio', kind: 'audio', state: 'online' },
    ],
    media: { state: 'online', source: 'primary' },
    gateway: { state: 'connected' },
    recording: { state: 'recording', hearing: 'h.room-demo', segments: 4 },
    uploader: { state: 'uploading', backlogFiles: 3, backlogBytes: 13_000_000, oldestAgeS: 7 },
    disk: { freeMb: 20_480, minutesLeft: 900 },
    ...over,
  };
}

async function hub(stateDir?: string) {
  let clock = Date.parse('2025-03-04T08:00:00Z');
  const built = await buildHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    allowLoopbackOfficers: false,
    tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir,
    archive: { enabled: false, dir: '', maxChunkMb: 4 },
    logger: silentLogger(),
    now: () => clock,
  });
  await built.app.ready();
  const tokens = await enrollRooms(built.enrollment, 3); // room-demo, room-2, room-3
  const roomToken = (n: number) => tokens[n - 1]!;
  const officer = { authorization: `Bearer ${OFFICER_TOKEN}` };
  return {
    ...built,
    roomToken,
    advance: (ms: number) => (clock += ms),
    officer: (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
      built.app.inject({ method, url: `/api/v1${url}`, headers: officer, payload }),
    report: (room: string, body: object, secret: string | undefined = roomToken(room === 'room-demo' ? 1 : Number(room.split('-')[1]))) =>
      built.app.inject({
        method: 'POST',
        url: `/api/v1/fleet/rooms/${room}/report`,
        headers: secret ? { authorization: `Bearer ${secret}` } : {},
        payload: body,
      }),
  };
}

describe('fleet reports', () => {
  let h: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => void (h = await hub()));
  afterAll(() => h?.app.close());

  it('accepts a report with the room enrolled token; refuses a bad token (401), an unknown room (404), a malformed body (400 naming the field)', async () => {
    const ok = await h.report('room-demo', sampleReport());
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ book: [], hubTime: expect.any(String) }); // hubTime: the room measures its clock against it
    expect((await h.report('room-demo', sampleReport(), 'wrong-secret')).statusCode).toBe(401);
    expect((await h.report('room-demo', sampleReport(), '')).statusCode).toBe(401);
    expect((await h.report('room-demo', sampleReport(), h.roomToken(2))).statusCode).toBe(401); // another room's token
    expect((await h.report('room-99', sampleReport(), 'x')).statusCode).toBe(404);
    // Auth comes first: a stranger with a bad body gets 401, not a schema lesson.
    expect((await h.report('room-2', { nonsense: true }, 'wrong')).statusCode).toBe(401);
    const bad = await h.report('room-2', { ...sampleReport(), uptimeS: 'long' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_REQUEST', field: 'body.uptimeS' });
    const { devices: _d, ...missing } = sampleReport();
    expect((await h.report('room-2', missing)).json()).toMatchObject({ field: 'body.devices' });
  });

  it("GET /api/v1/rooms carries each room's health; stale after max(3 × reportSeconds, 30 s); never reported → null", async () => {
    await h.report('room-demo', sampleReport());
    let rooms = (await h.officer('GET', '/rooms')).json();
    const demo = rooms.find((r: { id: string }) => r.id === 'room-demo');
    expect(demo).toMatchObject({
      online: false,
      health: {
        status: 'ok',
        stale: false,
        ageS: 0,
        uploader: { backlogFiles: 3 },
        disk: { freeMb: 20_480 },
        recording: { state: 'recording' },
      },
    });
    expect(demo.health.receivedAt).toBe('2025-03-04T08:00:00.000Z');
    expect(demo.health.acks).toBeUndefined();
    expect(rooms.find((r: { id: string }) => r.id === 'room-3').health).toBeNull();
    h.advance(29_000);
    expect((await h.officer('GET', '/rooms')).json()[0].health).toMatchObject({ stale: false, ageS: 29 });
    h.advance(2_000);
    rooms = (await h.officer('GET', '/rooms')).json();
    expect(rooms[0].health).toMatchObject({ stale: true, ageS: 31 });
    // A room reporting every 60 s is stale only after 180 s.
    await h.report('room-2', sampleReport({ reportSeconds: 60 }));
    h.advance(120_000);
    expect((await h.officer('GET', '/fleet/rooms')).json().find((r: { id: string }) => r.id === 'room-2')).toMatchObject({
      online: false,
      health: { stale: false, reportSeconds: 60 },
    });
    h.advance(61_000);
    expect((await h.officer('GET', '/fleet/rooms')).json().find((r: { id: string }) => r.id === 'room-2').health.stale).toBe(true);
    // A fresh report clears it.
    await h.report('room-demo', sampleReport());
    expect((await h.officer('GET', '/rooms')).json()[0].health.stale).toBe(false);
  });

  it('officers only: /fleet/rooms and the rooms list need the officer token; /metrics has the report age', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/fleet/rooms' })).statusCode).toBe(401);
    h.advance(5_000);
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })).body;
    expect(metrics).toMatch(/reception_room_report_age_seconds\{room="room-demo"\} 5(\.0)?$/m); // prom-client writes 5, the hand-written text wrote 5.0
    expect(metrics).not.toContain('room="room-3"');
  });
});

describe('recording alarm in the fleet', () => {
  let h: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => void (h = await hub()));
  afterAll(() => h?.app.close());
  const metrics = async () =>
    (await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })).body;
  const recording = (alarm: unknown) => ({ state: 'recording', hearing: 'h.room-demo', segments: 4, alarm }) as RoomReport['recording'];

  it("a room's recording alarm is in /api/v1/rooms and a /metrics gauge per room and reason; a room that sends none (older) is accepted", async () => {
    const alarm = { reason: 'disk-full', since: '2025-03-04T07:59:58.000Z', message: 'splitmuxsink: No space left on device' };
    expect((await h.report('room-demo', sampleReport({ recording: recording(alarm) }))).statusCode).toBe(200);
    expect((await h.report('room-2', sampleReport())).statusCode).toBe(200); // no `alarm` key at all
    const rooms = (await h.officer('GET', '/rooms')).json();
    expect(rooms.find((r: { id: string }) => r.id === 'room-demo').health.recording).toEqual({
      state: 'recording',
      hearing: 'h.room-demo',
      segments: 4,
      alarm,
    });
    let m = await metrics();
    expect(m).toContain('# TYPE reception_room_recording_alarm gauge');
    expect(m).toContain('reception_room_recording_alarm{room="room-demo",reason="disk-full"} 1');
    expect(m).toContain('reception_room_recording_alarm{room="room-demo",reason="write-error"} 0');
    expect(m).toContain('reception_room_recording_alarm{room="room-2",reason="disk-full"} 0');
    expect(m).not.toContain('room="room-3"'); // never reported
    // A reason this hub does not know yet gets a series of its own; clearing sets everything to 0.
    await h.report('room-2', sampleReport({ recording: recording({ ...alarm, reason: 'writer-lock' }) }));
    expect(await metrics()).toContain('reception_room_recording_alarm{room="room-2",reason="writer-lock"} 1');
    await h.report('room-demo', sampleReport({ recording: recording(null) }));
    m = await metrics();
    expect(m).toContain('reception_room_recording_alarm{room="room-demo",reason="disk-full"} 0');
    expect(
      (await h.report('room-demo', sampleReport({ recording: recording({ ...alarm, reason: 'x'.repeat(65) }) }))).json(),
    ).toMatchObject({ field: 'body.recording.alarm.reason' });
  });
});

describe('reception book entries from the console', () => {
  let h: Awaited<ReturnType<typeof hub>>;
  let hearing: string;
  beforeAll(async () => {
    h = await hub();
    hearing = (await h.officer('POST', '/hearings', { title: 'Tiếp dân', rooms: ['room-demo', 'room-2'] })).json().id;
  });
  afterAll(() => h?.app.close());

  it('PUT validates like the room (400 naming the field), 404 for a room not in the hearing, 202 pending', async () => {
    const bad = await h.officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, { ...entry, classification: 'gossip' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toMatch(/^body\.classification/);
    const noName = await h.officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, {
      ...entry,
      citizen: { address: 'x', idNumber: '1' },
    });
    expect(noName.json()).toMatchObject({ field: 'body.citizen.fullName' });
    expect((await h.officer('PUT', `/hearings/${hearing}/rooms/room-3/book`, entry)).statusCode).toBe(404);
    expect((await h.officer('PUT', `/hearings/hearing-nope/rooms/room-demo/book`, entry)).statusCode).toBe(404);
    expect((await h.officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).statusCode).toBe(404);
    const put = await h.officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, entry);
    expect(put.statusCode, put.body).toBe(202);
    expect(put.json()).toMatchObject({ state: 'pending', version: 1 });
    expect((await h.officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).json()).toMatchObject({
      state: 'pending',
      version: 1,
      entry: { citizen: entry.citizen },
      deliveredAt: null,
      error: null,
    });
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/hearings/${hearing}/rooms/room-demo/book` })).statusCode).toBe(401);
  });

  it("handed to the room in the answer to its report until acknowledged; written / failed with the room's reason", async () => {
    const other = await h.report('room-2', sampleReport());
    expect(other.json().book).toEqual([]); // not its entry
    const first = (await h.report('room-demo', sampleReport())).json();
    expect(first.book).toEqual([{ hearing, version: 1, entry }]);
    expect((await h.officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).json()).toMatchObject({
      state: 'pending',
      deliveredAt: expect.any(String),
    });
    // Not acknowledged (the room was cut off): handed over again.
    expect((await h.report('room-demo', sampleReport())).json().book).toHaveLength(1);
    // The officer corrects it meanwhile: the room's ack for version 1 does not mark version 2 written.
    await h.officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, { ...entry, summary: 'Sửa lại nội dung' });
    const answer = (
      await h.report('room-demo', sampleReport({ acks: [{ hearing, version: 1, ok: true, sha256: 'a'.repeat(64) }] }))
    ).json();
    expect(answer.book).toEqual([{ hearing, version: 2, entry: { ...entry, summary: 'Sửa lại nội dung' } }]);
    expect((await h.officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).json()).toMatchObject({ state: 'pending', version: 2 });
    expect(
      (await h.report('room-demo', sampleReport({ acks: [{ hearing, version: 2, ok: true, sha256: 'b'.repeat(64) }] }))).json().book,
    ).toEqual([]);
    const written = (await h.officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).json();
    expect(written).toMatchObject({
      state: 'written',
      version: 2,
      sha256: 'b'.repeat(64),
      error: null,
      entry: { summary: 'Sửa lại nội dung', citizen: null },
    });
    // Sealed at the room: the hub keeps no copy of the citizen's identity (what it persists is this view).
    expect(JSON.stringify(written)).not.toContain(entry.citizen.idNumber);
    // A refusal is shown with the room's reason, and not handed over again.
    await h.officer('PUT', `/hearings/${hearing}/rooms/room-2/book`, entry);
    await h.report('room-2', sampleReport());
    await h.report(
      'room-2',
      sampleReport({ acks: [{ hearing, version: 1, ok: false, error: '409 HEARING_CLOSED: hearing x is closed' }] }),
    );
    expect((await h.officer('GET', `/hearings/${hearing}/rooms/room-2/book`)).json()).toMatchObject({
      state: 'failed',
      error: '409 HEARING_CLOSED: hearing x is closed',
    });
    expect((await h.report('room-2', sampleReport())).json().book).toEqual([]);
  });

  it("an ended hearing takes no new entry (409: the room's manifest is closed)", async () => {
    await h.officer('POST', `/hearings/${hearing}/end`);
    expect((await h.officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, entry)).statusCode).toBe(409);
    expect((await h.officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).json().state).toBe('written');
  });
});

describe('book outbox persistence', () => {
  it('a pending entry survives a hub restart (file mode 0600) and is handed over after it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'hub-fleet-'));
    const a = await hub(stateDir);
    const hearing = (await a.officer('POST', '/hearings', { title: 'Bền', rooms: ['room-demo'] })).json().id;
    expect((await a.officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, entry)).statusCode).toBe(202);
    await a.app.close();
    expect(statSync(join(stateDir, 'book-outbox.json')).mode & 0o777).toBe(0o600);
    const b = await hub(stateDir);
    try {
      expect((await b.officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).json()).toMatchObject({ state: 'pending', version: 1 });
      expect((await b.report('room-demo', sampleReport())).json().book).toEqual([{ hearing, version: 1, entry }]);
    } finally {
      await b.app.close();
    }
  });
});
