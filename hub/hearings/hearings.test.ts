import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICER_TOKEN, startTestHub } from '../test/hub-fixture.js';

describe('hearings REST', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 3 });
  });
  afterAll(() => hub?.stop());
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    hub.app.inject({ method, url: `/api/v1${url}`, payload });

  it('creates, lists, adds and removes rooms, ends', async () => {
    const created = await call('POST', '/hearings', { title: 'Tiếp công dân định kỳ', rooms: ['room-demo'] });
    expect(created.statusCode).toBe(201);
    const h = created.json();
    expect(h).toMatchObject({ title: 'Tiếp công dân định kỳ', rooms: ['room-demo'], state: 'active', participants: [] });
    expect((await call('GET', '/hearings')).json().map((x: { id: string }) => x.id)).toContain(h.id);
    expect((await call('POST', `/hearings/${h.id}/rooms`, { room: 'room-2' })).json().rooms).toEqual(['room-demo', 'room-2']);
    const rooms = (await call('GET', '/rooms')).json();
    expect(rooms.find((r: { id: string }) => r.id === 'room-2')).toMatchObject({ online: false, hearing: h.id });
    expect((await call('DELETE', `/hearings/${h.id}/rooms/room-2`)).json().rooms).toEqual(['room-demo']);
    expect((await call('GET', `/hearings/${h.id}`)).json().rooms).toEqual(['room-demo']);
    expect((await call('POST', `/hearings/${h.id}/end`)).json()).toMatchObject({ state: 'ended' });
    expect((await call('GET', '/rooms')).json().find((r: { id: string }) => r.id === 'room-demo').hearing).toBeNull();
  });

  it('409 when a room is already in an active hearing or was never enrolled; 404 for unknown hearings', async () => {
    const a = (await call('POST', '/hearings', { title: 'A', rooms: ['room-3'] })).json();
    const clash = await call('POST', '/hearings', { title: 'B', rooms: ['room-3'] });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'CONFLICT' });
    const b = (await call('POST', '/hearings', { title: 'B', rooms: [] })).json();
    expect((await call('POST', `/hearings/${b.id}/rooms`, { room: 'room-3' })).statusCode).toBe(409);
    expect((await call('POST', '/hearings', { title: 'C', rooms: ['room-42'] })).statusCode).toBe(409); // never enrolled (tests/security/hearing-room-enrolled.test.ts)
    expect((await call('GET', '/hearings/hearing-nope')).statusCode).toBe(404);
    expect((await call('POST', '/hearings/hearing-nope/end')).statusCode).toBe(404);
    expect((await call('DELETE', `/hearings/${a.id}/rooms/room-2`)).statusCode).toBe(404);
    await call('POST', `/hearings/${a.id}/end`);
    expect((await call('POST', `/hearings/${b.id}/rooms`, { room: 'room-3' })).statusCode).toBe(200);
  });

  it('400 names the bad field', async () => {
    const noTitle = await call('POST', '/hearings', { rooms: [] });
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.json().field).toBe('body.title');
    const badRooms = await call('POST', '/hearings', { title: 'x', rooms: [{ id: 'room-demo' }] });
    expect(badRooms.statusCode).toBe(400);
    expect(badRooms.json().field).toBe('body.rooms.0');
    const noRoom = await call('POST', '/hearings/whatever/rooms', {});
    expect(noRoom.json()).toMatchObject({ statusCode: 400, field: 'body.room' });
  });

  it('off loopback a token is required; a wrong token is refused', async () => {
    const remote = await hub.app.inject({ method: 'GET', url: '/api/v1/hearings', remoteAddress: '10.0.0.5' });
    expect(remote.statusCode).toBe(401);
    const ok = await hub.app.inject({
      method: 'GET',
      url: '/api/v1/hearings',
      remoteAddress: '10.0.0.5',
      headers: { authorization: `Bearer ${OFFICER_TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    const wrong = await hub.app.inject({ method: 'GET', url: '/api/v1/rooms', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
  });
});
