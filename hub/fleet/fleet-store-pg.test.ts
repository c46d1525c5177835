import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { until } from '../../tests/helpers/until.js';
import { openPgFleetStore } from './fleet-store-pg.js';
import { bookEntry, describeFleetStoreContract, report } from './test/fleet-suite.js';

// The fleet store on a real PostgreSQL (a throw-away cluster for this file): the contract, then what
// two hub nodes on one database must get right.

const db = useMigratedDatabase(); // this file's cluster, a migrated database and its pool
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const close of closers) await close().catch(() => {});
});

const emptyTables = () => db.pool.query('TRUNCATE fleet_reports, book_outbox');
const open = async (o: { now?: () => number; refusedKeepMs?: number } = {}) => {
  const store = await openPgFleetStore({ pool: db.pool, url: db.url, logger: silentLogger(), ...o });
  closers.push(store.close);
  return store;
};

describeFleetStoreContract('postgres', async () => (await emptyTables(), { open }));

describe('fleet store on two hub nodes (postgres)', () => {
  it("a room's report to one node is the other node's health of it (and its history's)", async () => {
    await emptyTables();
    const [a, b] = [await open(), await open()];
    const heardByB: string[] = [];
    b.onRemoteReport((room, r) => heardByB.push(`${room}@${r.version}`));
    await a.report('room-a', report([], { version: '0.3.0' }));
    await until('node b to see the report', 10_000, () => b.health('room-a')?.version === '0.3.0');
    expect(heardByB).toEqual(['room-a@0.3.0']); // its fleet history hears it too
    await b.report('room-a', report([], { version: '0.3.1' }));
    await until('node a to see the next one', 10_000, () => a.health('room-a')?.version === '0.3.1');
    expect(b.ages().map(([room]) => room)).toEqual(['room-a']);
  });

  it('officers on two nodes writing one entry at once get distinct versions; the last one is pending', async () => {
    await emptyTables();
    const [a, b] = [await open(), await open()];
    const views = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).putBook('h1', 'room-a', bookEntry)));
    expect(views.map((v) => v.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await a.report('room-a', report())).book.map((e) => e.version)).toEqual([20]);
  });

  it("an ack racing an officer's correction on the other node never marks the correction written", async () => {
    await emptyTables();
    const [a, b] = [await open(), await open()];
    for (let round = 0; round < 10; round++) {
      const hearing = `h${round}`;
      const first = await a.putBook(hearing, 'room-a', bookEntry);
      const [acked, corrected] = await Promise.all([
        a.report('room-a', report([{ hearing, version: first.version, ok: true, sha256: 'c'.repeat(64) }])),
        b.putBook(hearing, 'room-a', { ...bookEntry, summary: `sửa ${round}` }),
      ]);
      const now = await b.getBook(hearing, 'room-a');
      expect(now).toMatchObject({ version: corrected.version, state: 'pending', entry: { citizen: bookEntry.citizen } });
      expect(acked.applied).toBeLessThanOrEqual(1);
    }
  });
});
