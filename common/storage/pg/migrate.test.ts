import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { startPostgres, type PgCluster } from '../../../tests/helpers/postgres.js';
import { migrate, MigrationError, pendingMigrations } from './migrate.js';
import { checkConnection, createPgPool, redactPgUrl } from './pool.js';

// The migration runner against a real PostgreSQL (a throw-away cluster of this file).

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await cluster?.remove();
});

const dirWith = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
};

describe('migrations', () => {
  it('applies files in number order once; a second run has nothing to do', async () => {
    const pool = createPgPool(await cluster.createDatabase(), silentLogger());
    const dir = dirWith({
      '002_b.sql': 'ALTER TABLE a ADD COLUMN b text;',
      '001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1);',
    });
    expect((await pendingMigrations(pool, dir)).map((m) => m.name)).toEqual(['001_a.sql', '002_b.sql']);
    expect(await migrate(pool, dir)).toEqual(['001_a.sql', '002_b.sql']);
    expect(await migrate(pool, dir)).toEqual([]);
    expect((await pool.query('SELECT id, b FROM a')).rows).toEqual([{ id: 1, b: null }]);
    expect((await pool.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows).toEqual([
      { version: 1, name: '001_a.sql' },
      { version: 2, name: '002_b.sql' },
    ]);
    await pool.end();
  });

  it('a failing file rolls back whole and names itself and the line; the ones before it stay', async () => {
    const pool = createPgPool(await cluster.createDatabase(), silentLogger());
    const dir = dirWith({
      '001_ok.sql': 'CREATE TABLE ok (id int);',
      '002_broken.sql': 'CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELEC oops;',
    });
    const err = await migrate(pool, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).message).toMatch(/migration 002_broken\.sql failed and was rolled back.*line 3: syntax error/);
    expect((await pool.query(`SELECT to_regclass('half') AS t, to_regclass('ok') AS o`)).rows[0]).toEqual({ t: null, o: 'ok' });
    expect((await pendingMigrations(pool, dir)).map((m) => m.name)).toEqual(['002_broken.sql']);
    await pool.end();
  });

  it('two nodes migrating at once: the lock makes one wait, every file is applied exactly once', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [createPgPool(url, silentLogger()), createPgPool(url, silentLogger())];
    // pg_sleep keeps the first runner inside its transaction long enough for the second to arrive.
    const dir = dirWith({ '001_slow.sql': 'SELECT pg_sleep(0.3); CREATE TABLE once (id int);', '002_x.sql': 'CREATE TABLE x (id int);' });
    const [ra, rb] = await Promise.all([migrate(a, dir), migrate(b, dir)]);
    expect([...ra, ...rb].sort()).toEqual(['001_slow.sql', '002_x.sql']);
    expect([ra.length, rb.length].sort()).toEqual([0, 2]);
    await Promise.all([a.end(), b.end()]);
  });

  it('an unreachable database: the error names the URL with its password hidden', async () => {
    const url = `postgres://hub:s3cret@127.0.0.1:${cluster.port + 1}/hub`; // nothing listens there (the cluster's neighbour port)
    const pool = createPgPool(url, silentLogger());
    const err = (await checkConnection(pool, url).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('cannot connect to the database postgres://hub:***@127.0.0.1:');
    expect(err.message).not.toContain('s3cret');
    expect(redactPgUrl('postgresql://u:p@h/db')).toBe('postgresql://u:***@h/db');
    await pool.end();
  });

  it('refuses badly named files', async () => {
    await expect(migrate({} as pg.Pool, dirWith({ '1_a.sql': '' }))).rejects.toThrow(/must be NNN_what\.sql/);
  });
});
