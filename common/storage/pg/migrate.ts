import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

// Plain ordered SQL migrations: `NNN_what.sql` in one folder, applied in number order, each in its own
// transaction together with its row in `schema_migrations` — a failing file leaves nothing of itself
// and names itself (and the line). A session advisory lock makes a second node that migrates at the
// same time wait, then find the work done.

const FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;
const LOCK_KEY = 7_140_014; // any constant the hub's nodes agree on

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`migration ${file} failed and was rolled back / di chuyển lược đồ thất bại, đã hoàn tác: ${message}`);
    this.name = 'MigrationError';
  }
}

export function readMigrations(dir: string): Migration[] {
  const out = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((name) => {
      const m = FILE.exec(name);
      if (!m) throw new Error(`migration file ${join(dir, name)}: the name must be NNN_what.sql (lower case)`);
      return { version: Number(m[1]), name, sql: readFileSync(join(dir, name), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++)
    if (out[i]!.version === out[i - 1]!.version)
      throw new Error(`two migrations numbered ${out[i]!.version}: ${out[i - 1]!.name}, ${out[i]!.name}`);
  return out;
}

const lineOf = (sql: string, position?: string) => (position ? sql.slice(0, Number(position)).split('\n').length : undefined);

async function appliedVersions(client: pg.ClientBase): Promise<Set<number>> {
  const exists = await client.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return new Set();
  const r = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(r.rows.map((x) => x.version));
}

/** The migrations of `dir` not applied yet (a node that must not migrate can refuse with their names). */
export async function pendingMigrations(pool: pg.Pool, dir: string): Promise<Migration[]> {
  const client = await pool.connect();
  try {
    const done = await appliedVersions(client);
    return readMigrations(dir).filter((m) => !done.has(m.version));
  } finally {
    client.release();
  }
}

/** Applies what is missing; returns the names applied now (empty: already up to date). */
export async function migrate(pool: pg.Pool, dir: string): Promise<string[]> {
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = await appliedVersions(client);
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        const e = err as Error & { position?: string };
        const line = lineOf(m.sql, e.position);
        throw new MigrationError(m.name, `${line ? `line ${line}: ` : ''}${e.message}`);
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    client.release();
  }
}
