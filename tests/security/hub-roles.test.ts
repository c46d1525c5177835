import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../common/http/credentials.js';
import { silentLogger } from '../../common/log.js';
import { PEOPLE_ROLES, type PersonRole } from '../../hub/auth/identity.js';
import { buildHub } from '../../hub/create-hub.js';
import { enrollRooms } from '../../hub/test/hub-fixture.js';

// Issue 10 item 5, as an attacker would try it: every people's role (and a room) against every class of
// route. A role the route does not take gets 403 naming the role needed; no credential 401 — from the
// hub's own machine too (loopback is nobody unless the config opts in).

const tokenOf = (role: string) => `token-of-${role}`;
const LAN = { remoteAddress: '10.1.2.3' };
let ROOM = ''; // room-demo's enrolled token

type Probe = { method: 'GET' | 'POST' | 'PUT'; url: string; payload?: object };
/** Route class → one request of it, and the roles that may call it (the table). */
const CLASSES: Record<string, { probe: (h: string) => Probe; allowed: PersonRole[] }> = {
  'run a hearing': { probe: () => ({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'x' } }), allowed: ['officer'] },
  'end a hearing': { probe: (h) => ({ method: 'POST', url: `/api/v1/hearings/${h}/end` }), allowed: ['officer'] },
  'look at hearings': {
    probe: () => ({ method: 'GET', url: '/api/v1/hearings' }),
    allowed: ['officer', 'supervisor', 'technician', 'monitor'],
  },
  'write the book': {
    probe: (h) => ({ method: 'PUT', url: `/api/v1/hearings/${h}/rooms/room-demo/book`, payload: {} }),
    allowed: ['officer'],
  },
  'read the book (delivery; the identity: supervisor)': {
    probe: (h) => ({ method: 'GET', url: `/api/v1/hearings/${h}/rooms/room-demo/book` }),
    allowed: ['officer', 'supervisor'],
  },
  'list the archive': {
    probe: () => ({ method: 'GET', url: '/api/v1/archive/hearings' }),
    allowed: ['officer', 'supervisor', 'archivist'],
  },
  'download a recording': {
    probe: (h) => ({ method: 'GET', url: `/api/v1/archive/hearings/${h}/files/seg-00000.ts` }),
    allowed: ['archivist'],
  },
  'issue an enrollment code': {
    probe: () => ({ method: 'POST', url: '/api/v1/enrollment/codes', payload: {} }),
    allowed: ['technician'],
  },
  'fleet health': {
    probe: () => ({ method: 'GET', url: '/api/v1/fleet/rooms' }),
    allowed: ['technician', 'monitor', 'officer', 'supervisor'],
  },
  'scrape metrics': { probe: () => ({ method: 'GET', url: '/metrics' }), allowed: ['metrics', 'technician', 'monitor'] },
  'read the audit log': { probe: () => ({ method: 'GET', url: '/api/v1/audit' }), allowed: ['supervisor'] },
  'WHIP/WHEP ticket': {
    probe: (h) => ({ method: 'POST', url: `/api/v1/hearings/${h}/tickets`, payload: { kind: 'view' } }),
    allowed: ['officer'],
  },
  'API docs': {
    probe: () => ({ method: 'GET', url: '/docs/json' }),
    allowed: ['officer', 'supervisor', 'archivist', 'technician', 'monitor'],
  },
};

describe('hub roles: each role against each route class', () => {
  let app: Awaited<ReturnType<typeof buildHub>>['app'];
  let hearing = '';
  let book = '';
  beforeAll(async () => {
    const built = await buildHub({
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      allowLoopbackOfficers: false,
      tokens: PEOPLE_ROLES.map((r) => ({ name: r, sha256: sha256Hex(tokenOf(r)), roles: [r] })),
      ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
      stateDir: mkdtempSync(join(tmpdir(), 'hub-roles-')),
      archive: { enabled: true, dir: '', maxChunkMb: 4 },
      logger: silentLogger(),
    });
    app = built.app;
    [ROOM] = (await enrollRooms(built.enrollment, 2)) as [string]; // room-demo, room-2
    hearing = built.store.create('Phiên thử', ['room-demo']).id;
    book = built.store.create('Phiên có sổ', ['room-2']).id;
  });
  afterAll(() => app?.close());

  const send = (p: Probe, headers: Record<string, string>, from: object = LAN) =>
    app.inject({ method: p.method, url: p.url, payload: p.payload, headers, ...from });

  for (const [what, { probe, allowed }] of Object.entries(CLASSES)) {
    it(`${what}: ${allowed.join(', ')} only`, async () => {
      const p = () => probe(hearing);
      for (const role of PEOPLE_ROLES) {
        const r = await send(p(), { authorization: `Bearer ${tokenOf(role)}` });
        if (allowed.includes(role)) expect([401, 403], `${role} may ${what}`).not.toContain(r.statusCode);
        else {
          expect(r.statusCode, `${role} may not ${what}`).toBe(403);
          expect(r.json().message).toContain(`needs role ${allowed.join(' or ')}`);
        }
      }
      const room = await send(p(), { authorization: `Bearer ${ROOM}` });
      expect(room.statusCode, 'a room credential is no person').toBe(403);
      for (const from of [LAN, { remoteAddress: '127.0.0.1' }, { remoteAddress: '::1' }]) {
        const none = await send(p(), {}, from);
        expect(none.statusCode, `no credential from ${JSON.stringify(from)}`).toBe(401);
        expect(none.headers['www-authenticate']).toBe('Bearer');
      }
    });
  }

  it("the denouncer's identity: an officer reads the book's delivery with citizen null; a supervisor reads it, audited", async () => {
    const as = (role: string) => ({ authorization: `Bearer ${tokenOf(role)}` });
    const url = `/api/v1/hearings/${book}/rooms/room-2/book`;
    const entry = {
      receivedAt: new Date().toISOString(),
      officer: { name: 'Trần Văn Bình', unit: 'Ban Tiếp công dân tỉnh' },
      citizen: { fullName: 'Nguyễn Thị Mật', address: '12 Đường Hoa Sữa', idNumber: '079123456789' },
      classification: 'denunciation',
      summary: 'Tố cáo hành vi nhận hối lộ',
      handling: 'Chuyển Thanh tra tỉnh',
      participants: { rooms: ['room-2'], officers: ['Trần Văn Bình'] },
    };
    expect((await app.inject({ method: 'PUT', url, headers: as('officer'), payload: entry, ...LAN })).statusCode).toBe(202);
    const byOfficer = await app.inject({ url, headers: as('officer'), ...LAN });
    expect(byOfficer.json()).toMatchObject({ state: 'pending', entry: { citizen: null, summary: entry.summary } });
    expect(byOfficer.body).not.toContain('079123456789');
    const bySupervisor = await app.inject({ url, headers: as('supervisor'), ...LAN });
    expect(bySupervisor.json().entry.citizen).toEqual(entry.citizen);
    const audit = await app.inject({ url: '/api/v1/audit?action=book.read', headers: as('supervisor'), ...LAN });
    expect(audit.json().entries).toEqual([
      expect.objectContaining({ actor: 'token:supervisor', action: 'book.read', target: `${book}/room-2`, outcome: 'ok', ip: '10.1.2.3' }),
    ]);
    const written = await app.inject({ url: '/api/v1/audit?action=book.write', headers: as('supervisor'), ...LAN });
    expect(written.json().entries).toEqual([expect.objectContaining({ actor: 'token:officer', target: `${book}/room-2` })]);
    expect(JSON.stringify(written.json())).not.toContain('Nguyễn Thị Mật'); // the log names no citizen
  });

  it('a scanner without credentials cannot flood the audit log: 30 refusals a minute per address are written, the rest counted', async () => {
    for (let i = 0; i < 45; i++)
      expect((await app.inject({ url: `/api/v1/hearings/scan-${i}`, remoteAddress: '10.9.9.9' })).statusCode).toBe(401);
    const r = await app.inject({
      url: '/api/v1/audit?action=refused&limit=1000',
      headers: { authorization: `Bearer ${tokenOf('supervisor')}` },
      ...LAN,
    });
    expect(r.json().entries.filter((e: { ip: string }) => e.ip === '10.9.9.9')).toHaveLength(30);
  });

  it('every refusal is in the audit log: who, what, why, from where', async () => {
    const r = await app.inject({
      url: '/api/v1/audit?action=refused&limit=1000',
      headers: { authorization: `Bearer ${tokenOf('supervisor')}` },
      ...LAN,
    });
    const refused = r.json().entries as { actor: string; target: string; reason: string; ip: string; outcome: string }[];
    expect(refused.length).toBeGreaterThan(50);
    expect(refused).toContainEqual(
      expect.objectContaining({
        actor: 'token:monitor',
        target: 'POST /api/v1/hearings',
        outcome: 'refused',
        ip: '10.1.2.3',
        reason: expect.stringContaining('403'),
      }),
    );
    expect(refused).toContainEqual(expect.objectContaining({ actor: 'anonymous', target: 'GET /metrics', ip: '127.0.0.1' }));
    expect(refused).toContainEqual(
      expect.objectContaining({ actor: 'room:room-demo', reason: expect.stringContaining('needs role supervisor') }),
    );
  });
});
