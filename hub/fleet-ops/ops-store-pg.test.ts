import { describe, expect, it } from 'vitest';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { createPgOpsStore } from './ops-store-pg.js';
import { describeOpsStoreContract } from './test/ops-suite.js';

// Remote operations on a real PostgreSQL (a throw-away cluster for this file): the contract, then a
// room's result reported to two nodes at once.

const db = useMigratedDatabase(); // this file's cluster, a migrated database and its pool

describeOpsStoreContract(
  'postgres',
  async () => (await db.pool.query('TRUNCATE fleet_ops CASCADE'), { open: async (now) => createPgOpsStore({ pool: db.pool, now }) }),
);

describe('remote operations on two hub nodes (postgres)', () => {
  it('asked at one node, handed over at the other; one result sent to both at once is applied once', async () => {
    await db.pool.query('TRUNCATE fleet_ops CASCADE');
    const [a, b] = [createPgOpsStore({ pool: db.pool, now: Date.now }), createPgOpsStore({ pool: db.pool, now: Date.now })];
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
