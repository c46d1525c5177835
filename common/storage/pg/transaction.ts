import type pg from 'pg';
import { guarded } from './pool.js';

// One transaction on one pooled connection: BEGIN, the caller's statements, COMMIT — or ROLLBACK on any
// error, which is thrown on (an unreachable database as StoreUnavailableError, 503). A connection that
// failed mid-transaction is destroyed rather than handed back to the pool.

export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return guarded(async () => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => void (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  });
}
