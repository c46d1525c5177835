import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { silentLogger } from '../../common/log.js';
import { migrate } from '../../common/storage/pg/migrate.js';
import { createPgPool } from '../../common/storage/pg/pool.js';
import { migrationsDir } from '../store/hub-store.js';
import { startPostgres, type PgCluster } from '../../tests/helpers/postgres.js';
import { createPgOpsStore } from './ops-store-pg.js';
import { describeOpsStoreContract } from './test/ops-suite.js';

// Remote operations on a real PostgreSQL (a throw-away cluster for this file): the contract, then a
// room's result reported to two nodes at once.

let cluster: PgCluster;
let pool: pg.Pool;

beforeAll(async () => {
  cluster = await startPostgres();
  pool = createPgPool(await cluster.createDatabase(), silentLogger());
  await migrate(pool, migrationsDir());
});
afterAll(async () => {
  await pool?.end();
  await cluster?.remove();
});

describeOpsStoreContract(
  'postgres',
  async () => (await pool.query('TRUNCATE fleet_ops CASCADE'), { open: async (now) => createPgOpsStore({ pool, now }) }),
);

describe('remote operations on two hub nodes (postgres)', () => {
  it('asked at one node, handed over at the other; one result sent to both at once is applied once', async () => {
    await pool.query('TRUNCATE fleet_ops CASCADE');
    const [a, b] = [createPgOpsStore({ pool, now: Date.now }), createPgOpsStore({ pool, now: Date.now })];
    const op = await a.create('room-a', { kind: 'restart' }, 'tech');
    expect((await b.exchange('room-a')).map((o) => o.id)).toEqual([op.id]);
    const at = new Date().toISOString();
    const [ra, rb] = await Promise.all([
      a.exchange('room-a', [{ id: op.id, state: 'applied', at }]),
      b.exchange('room-a', [{ id: op.id, state: 'failed', at, reason: 'the other one' }]),
    ]);
    expect([ra, rb]).toEqual([[], []]);
    const done = await a.get('room-a', op.id);
    expect(['applied', 'failed']).toContain(done?.state);
    expect(done?.reason).toBe(done?.state === 'failed' ? 'the other one' : null); // one result whole, never a mix
  });
});
