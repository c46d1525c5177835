import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgCluster } from '../../../tests/helpers/postgres.js';
import { until } from '../../../tests/helpers/until.js';
import { silentLogger } from '../../log.js';
import { createPgPool, StoreUnavailableError } from './pool.js';
import { inTransaction } from './transaction.js';

// A connection cut by the server while a caller holds it (a restart between two statements of a
// transaction): the process must live on, the transaction fail as 503, and the pool serve the next call.

let cluster: PgCluster;
let pool: pg.Pool;
beforeAll(async () => {
  cluster = await startPostgres();
  pool = createPgPool(await cluster.createDatabase(), silentLogger());
});
afterAll(async () => {
  await pool?.end();
  await cluster?.remove();
});

describe('createPgPool', () => {
  it('a checked-out connection terminated by the server ends its transaction with 503, not the process', async () => {
    const outcome = inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]); // what a server restart does to it
      // pg marks the client unusable when the server's FATAL arrives and, with no active statement, emits
      // 'error' — to nobody unless the pool listens while the client is out (it does not by itself).
      await until('the held connection to hear it was cut', 10_000, () => !(client as unknown as { _queryable: boolean })._queryable);
      await client.query('SELECT 1');
    });
    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });
});
