import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../common/http/credentials.js';
import { silentLogger } from '../../common/log.js';
import { createTickets } from '../../hub/auth/tickets.js';
import { buildHub } from '../../hub/create-hub.js';
import { enrollRooms } from '../../hub/test/hub-fixture.js';

// Issue 10 item 5: WHIP/WHEP need a Bearer token bound to a hearing and a role. An officer asks the hub
// for a short-lived ticket (POST /api/v1/hearings/:id/tickets); the ticket opens a session of its kind
// on its hearing only. A past-auth request without an SDP offer answers 400 BAD_SDP: that is "let in".

const OFFICER = 'ticket-officer';
const LAN = { remoteAddress: '10.1.2.3' };
let clock = Date.now();
const sdp = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/sdp' });

describe('WHIP/WHEP tickets', () => {
  let app: Awaited<ReturnType<typeof buildHub>>['app'];
  let store: Awaited<ReturnType<typeof buildHub>>['store'];
  let [a, b] = ['', ''];
  beforeAll(async () => {
    const built = await buildHub({
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      tokens: [
        { name: 'officer', sha256: sha256Hex(OFFICER), roles: ['officer'] },
        { name: 'monitor', sha256: sha256Hex('monitor'), roles: ['monitor'] },
      ],
      allowLoopbackOfficers: false,
      ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
      logger: silentLogger(),
      now: () => clock,
    });
    ({ app, store } = built);
    await enrollRooms(built.enrollment, 2); // room-demo, room-2
    a = store.create('A', ['room-demo']).id;
    b = store.create('B', ['room-2']).id;
  });
  afterAll(() => app?.close());

  const ticket = async (hearing: string, kind: 'publish' | 'view', ttlSeconds = 60, token = OFFICER) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/hearings/${hearing}/tickets`,
      headers: { authorization: `Bearer ${token}` },
      payload: { kind, ttlSeconds },
      ...LAN,
    });
  const whip = (hearing: string, t: string) =>
    app.inject({ method: 'POST', url: `/whip/hearings/${hearing}`, headers: sdp(t), payload: 'v=0', ...LAN });
  const whep = (hearing: string, t: string) =>
    app.inject({ method: 'POST', url: `/whep/hearings/${hearing}`, headers: sdp(t), payload: 'v=0', ...LAN });

  it('an officer gets a ticket for an active hearing (201, expiry); a monitor 403; an unknown hearing 404; ttl bounded (400)', async () => {
    const r = await ticket(a, 'view');
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ hearing: a, kind: 'view', ticket: expect.stringMatching(/^rt1\./) });
    expect(Date.parse(r.json().expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    expect((await ticket(a, 'view', 60, 'monitor')).statusCode).toBe(403);
    expect((await ticket('nope', 'view')).statusCode).toBe(404);
    expect((await ticket(a, 'view', 86_400)).json()).toMatchObject({ statusCode: 400, field: 'body.ttlSeconds' });
  });

  it('a view ticket opens WHEP of its hearing only: not WHIP, not another hearing', async () => {
    const t = (await ticket(a, 'view')).json().ticket as string;
    expect((await whep(a, t)).json()).toMatchObject({ statusCode: 400, code: 'BAD_SDP' }); // let in
    expect((await whip(a, t)).json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('not this') });
    expect((await whep(b, t)).json()).toMatchObject({ statusCode: 401, message: 'the ticket is for another hearing' });
    expect((await app.inject({ url: '/api/v1/hearings', headers: { authorization: `Bearer ${t}` }, ...LAN })).statusCode).toBe(401); // no REST
  });

  it('a publish ticket opens WHIP; a forged, tampered or expired ticket is refused', async () => {
    const t = (await ticket(b, 'publish')).json().ticket as string;
    expect((await whip(b, t)).json()).toMatchObject({ statusCode: 400, code: 'BAD_SDP' });
    const [prefix, body, sig] = t.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const retargeted = `${prefix}.${Buffer.from(JSON.stringify({ ...payload, h: a })).toString('base64url')}.${sig}`;
    expect((await whip(a, retargeted)).json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('signature') });
    const otherHub = createTickets().issue(b, 'publish', 60, 'mallory').ticket;
    expect((await whip(b, otherHub)).statusCode).toBe(401);
    const short = (await ticket(b, 'publish', 10)).json().ticket as string;
    clock += 10_000;
    expect((await whip(b, short)).json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('expired') });
  });

  it('expiry: a ticket opens sessions until expiresAt, never after (an injected clock)', () => {
    let now = 1_000_000;
    const t = createTickets({ now: () => now });
    const { ticket: tk } = t.issue('h', 'view', 30, 'officer');
    expect(t.check(tk, 'h', 'view')).toEqual({ ok: true, subject: 'officer', expired: false });
    now += 30_000;
    expect(t.check(tk, 'h', 'view')).toEqual({ ok: true, subject: 'officer', expired: true });
  });
});
