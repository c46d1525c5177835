import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollInProcess } from '../../hub/test/enroll-room.js';
import { OFFICER_TOKEN, startTestHub } from '../../hub/test/hub-fixture.js';

// Issue 10, item 2: room identity comes only from enrollment. An officer cannot put into a hearing a
// room that was never enrolled, or whose key was revoked: 409 with the reason (Vietnamese first), and
// nothing changes. The same room, enrolled again, may join.

const REMOTE = { remoteAddress: '10.1.2.3' };

describe('a hearing takes enrolled rooms only', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 2, allowLoopbackOfficers: false }); // room-demo, room-2 enrolled
  });
  afterAll(() => hub?.stop());

  const call = (method: 'POST' | 'GET', url: string, payload?: object) =>
    hub.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${OFFICER_TOKEN}` }, ...REMOTE });

  it('never enrolled: 409 naming why, in a new hearing and added to one; no hearing created', async () => {
    const before = (await call('GET', '/hearings')).json().length;
    const created = await call('POST', '/hearings', { title: 'Phiên giả', rooms: ['room-ghost'] });
    expect(created.statusCode).toBe(409);
    expect(created.json()).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^phòng "room-ghost" chưa đăng ký .* \/ room "room-ghost" was never enrolled/),
    });
    expect((await call('GET', '/hearings')).json()).toHaveLength(before);
    const h = (await call('POST', '/hearings', { title: 'Phiên thật', rooms: ['room-demo'] })).json();
    const added = await call('POST', `/hearings/${h.id}/rooms`, { room: 'room-ghost' });
    expect(added.statusCode).toBe(409);
    expect(added.json().message).toContain('never enrolled');
    expect((await call('GET', `/hearings/${h.id}`)).json().rooms).toEqual(['room-demo']);
    await call('POST', `/hearings/${h.id}/end`);
  });

  it('revoked: 409 naming the revocation; enrolled again, the room joins', async () => {
    await hub.enrollment.registry.revoke('room-2', 'technician:test', 'box stolen');
    const created = await call('POST', '/hearings', { title: 'Phiên', rooms: ['room-2'] });
    expect(created.statusCode).toBe(409);
    expect(created.json().message).toMatch(/^phòng "room-2" đã bị thu hồi.* \/ room "room-2" is revoked/);
    const h = (await call('POST', '/hearings', { title: 'Phiên', rooms: [] })).json();
    expect((await call('POST', `/hearings/${h.id}/rooms`, { room: 'room-2' })).json().message).toContain('is revoked');
    await enrollInProcess(hub.enrollment, 'room-2');
    expect((await call('POST', `/hearings/${h.id}/rooms`, { room: 'room-2' })).statusCode).toBe(200);
  });
});
