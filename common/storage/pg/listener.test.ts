import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgCluster } from '../../../tests/helpers/postgres.js';
import { silentLogger } from '../../log.js';
import { listenPg } from './listener.js';
import { createPgPool } from './pool.js';

// The LISTEN view against a real PostgreSQL: a change written between the caller's first load and the
// LISTEN (its NOTIFY heard by nobody) must still reach the view once the listener is ready.

let cluster: PgCluster;
let pool: pg.Pool;
let url: string;
beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  pool = createPgPool(url, silentLogger());
  await pool.query('CREATE TABLE notes (id int PRIMARY KEY)');
});
afterAll(async () => {
  await pool?.end();
  await cluster?.remove();
});

describe('listenPg', () => {
  it('reloads once LISTEN is first in place: a write before it is not missed', async () => {
    const load = async () => (await pool.query<{ id: number }>('SELECT id FROM notes ORDER BY id')).rows.map((r) => r.id);
    let view = await load(); // the caller's first load…
    await pool.query('INSERT INTO notes VALUES (1)'); // …another node writes and notifies before LISTEN
    await pool.query("SELECT pg_notify('notes', '1')");
    const listener = listenPg({
      url,
      channel: 'notes',
      onNotify: () => {},
      onListening: async () => void (view = await load()),
      logger: silentLogger(),
    });
    try {
      await listener.ready;
      expect(view).toEqual([1]);
    } finally {
      await listener.close();
    }
  }, 60_000);
});
