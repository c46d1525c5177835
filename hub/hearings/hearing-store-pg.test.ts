import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createPgPool } from '../../common/storage/pg/pool.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { until } from '../../tests/helpers/until.js';
import { buildHub } from '../create-hub.js';
import { openHubStore } from '../store/hub-store.js';
import { enrollRooms, testHubDeps } from '../test/hub-fixture.js';
import { describeHearingStoreContract, ROOMS, roomProblem, type OpenHearings } from './hearing-store-contract.js';
import { openPgHearings } from './hearing-store-pg.js';
import { createHearingStore } from './hearing-store.js';

// The contract against PostgreSQL (one throw-away cluster for this file), then what only a shared
// database has: two hub nodes racing for a room, and one node seeing the other's changes.

const db = useMigratedDatabase(); // each suite takes a fresh migrated database of this file's cluster

/** One hub node on `url`: its own pool, view and listener. */
async function node(url: string): Promise<OpenHearings> {
  const pool = createPgPool(url, silentLogger());
  const store = createHearingStore({ roomIds: () => ROOMS, roomProblem, writesElsewhere: 'PostgreSQL' });
  const writes = await openPgHearings({ pool, url, logger: silentLogger(), store, roomIds: () => ROOMS, roomProblem });
  return { store, writes, close: async () => (await writes.close(), await pool.end()) };
}

const migratedDatabase = async () => (await db.fresh()).url;

describeHearingStoreContract('PostgreSQL', async () => {
  const url = await migratedDatabase();
  return { open: () => node(url), remove: async () => {} };
});

describe('hearings on two hub nodes sharing PostgreSQL', () => {
  let one: OpenHearings;
  let two: OpenHearings;
  beforeAll(async () => {
    const url = await migratedDatabase();
    [one, two] = await Promise.all([node(url), node(url)]);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('the same room added to two hearings at once on two nodes: exactly one wins, the other gets 409', async () => {
    for (let round = 0; round < 10; round++) {
      const [a, b] = await Promise.all([one.writes.create(`A${round}`, []), two.writes.create(`B${round}`, [])]);
      const results = await Promise.allSettled([one.writes.addRoom(a.id, 'room-a'), two.writes.addRoom(b.id, 'room-a')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ statusCode: 409, message: expect.stringMatching(/already in hearing "hearing-/) });
      await Promise.all([one.writes.end(a.id), two.writes.end(b.id)]);
    }
  });

  it('a node sees the other node’s changes (LISTEN/NOTIFY) and announces them', async () => {
    const seen: string[] = [];
    two.store.events.on('changed', (id) => seen.push(id));
    const h = await one.writes.create('Trên nút một / on node one', ['room-b']);
    await until('node two to see the new hearing', 10_000, () => two.store.find(h.id));
    expect(two.store.activeOf('room-b')?.id).toBe(h.id);
    expect(seen).toContain(h.id);
    await one.writes.end(h.id);
    await until('node two to see it ended', 10_000, () => two.store.find(h.id)?.state === 'ended');
    expect(two.store.get(h.id)).toEqual(one.store.get(h.id));
  });

  it('the view refuses writes that would skip the database', () => {
    expect(() => one.store.create('x', [])).toThrow(/written through PostgreSQL/);
  });
});

describe('a hub on PostgreSQL when the database goes away', () => {
  it('answers 503 with the reason (Vietnamese first), stays up, and recovers by itself when the database returns', async () => {
    const url = await migratedDatabase();
    const store = await openHubStore(url, silentLogger());
    const built = await buildHub(testHubDeps({ allowLoopbackOfficers: true, store }));
    try {
      await enrollRooms(built.enrollment, 2); // room-demo, room-2
      const post = (title: string, rooms: string[]) =>
        built.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title, rooms } });
      const a = await post('Trước sự cố / before', ['room-demo']);
      expect(a.statusCode).toBe(201);
      await db.cluster.stop();
      const down = await post('Trong sự cố / during', ['room-2']);
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringMatching(/^cơ sở dữ liệu không truy cập được \/ the database is unreachable/),
      });
      expect(down.headers['retry-after']).toBe('5');
      expect((await built.app.inject({ method: 'GET', url: '/api/v1/hearings' })).statusCode).toBe(200); // reads: the node's view
      await db.cluster.start();
      const back = await until('a write to succeed after the database returned', 30_000, async () => {
        const r = await post('Sau sự cố / after', ['room-2']);
        return r.statusCode === 201 && r;
      });
      expect(back.json().rooms).toEqual(['room-2']);
      const names = (await built.app.inject({ method: 'GET', url: '/api/v1/hearings' })).json().map((h: { title: string }) => h.title);
      expect(names).toEqual(['Trước sự cố / before', 'Sau sự cố / after']);
      // The hub's audit log is the database's too (hub/audit/audit-log-pg.ts): both creations, none of the refused one.
      const audited = await store.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'hearing.create'`);
      expect(audited.rows[0].n).toBe(2);
    } finally {
      await built.app.close();
      await store.close();
    }
  });
});
