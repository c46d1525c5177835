import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { migrate } from '../../common/storage/pg/migrate.js';
import { createPgPool } from '../../common/storage/pg/pool.js';
import { migrationsDir } from '../../hub/store/hub-store.js';
import { freePort } from './free-port.js';
import { until } from './until.js';

// A throw-away PostgreSQL cluster for one test file: Debian's binaries, a temp dir, a free port on
// loopback, the unix socket in the temp dir (never /var/run/postgresql). PostgreSQL refuses to run as
// root, so as root the files belong to, and the server runs as, the `postgres` OS user. Durability is
// off (fsync, full pages): the data dies with the test anyway, and the tests run faster.
// Usage: `const pgc = await startPostgres(); … await pgc.createDatabase()` → a URL; afterAll: `pgc.remove()`.
// Or, in a test file, `const db = useMigratedDatabase()` (at the top level): the cluster and a migrated database.

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  port: number;
  dir: string;
  /** A URL (password included) for database `db`. */
  url(db?: string): string;
  /** A fresh empty database; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut), keeping the data: `start()` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes the cluster. Safe to call twice or after a failed start. */
  remove(): Promise<void>;
}

function asPostgres(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres'], { encoding: 'utf8' }).trim()));
  return { uid: uid!, gid: gid! };
}

/** The password of every test cluster: they listen on loopback only and die with the test. */
const PASSWORD = 'test-only-pw';
const TEMPLATE = join(tmpdir(), `reception-pg-template-${BIN.replace(/\W+/g, '_')}`);

/**
 * An initdb'd data directory made once per machine and copied for each cluster: initdb takes 1 s on a
 * quiet box and over 10 s on the busy CI one, a copy a fraction of that. Made in a temp dir and renamed
 * into place, so test files starting at once never see half of one.
 */
function template(): string {
  if (existsSync(join(TEMPLATE, 'PG_VERSION'))) return TEMPLATE;
  const user = asPostgres();
  const work = mkdtempSync(`${TEMPLATE}.tmp-`);
  const data = join(work, 'data');
  if (user) chownSync(work, user.uid, user.gid);
  writeFileSync(join(work, 'pw'), PASSWORD);
  try {
    // trust on the socket, a password over TCP: the URLs carry one, as a real deployment's would.
    const args = ['-D', data, '-U', 'postgres', `--pwfile=${join(work, 'pw')}`, '--auth-local=trust', '--auth-host=scram-sha-256'];
    execFileSync(join(BIN, 'initdb'), [...args, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions'], {
      ...(user ?? {}),
      stdio: 'pipe',
    });
    renameSync(data, TEMPLATE);
  } catch (err) {
    if (!existsSync(join(TEMPLATE, 'PG_VERSION'))) throw err; // another test file made it first: fine
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return TEMPLATE;
}

export async function startPostgres(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  const data = join(dir, 'data');
  const password = PASSWORD;
  const user = asPostgres();
  if (user) chownSync(dir, user.uid, user.gid);
  const opts = { ...(user ?? {}), stdio: 'pipe' as const };
  const port = await freePort();
  let server: ChildProcess | undefined;
  let log = '';

  const cluster: PgCluster = {
    port,
    dir,
    url: (db = 'postgres') => `postgres://postgres:${password}@127.0.0.1:${port}/${db}`,
    async createDatabase(name = `t_${randomBytes(4).toString('hex')}`) {
      const c = new pg.Client(cluster.url());
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return cluster.url(name);
    },
    async start() {
      log = '';
      const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'];
      for (const s of ['fsync=off', 'full_page_writes=off', 'synchronous_commit=off', 'max_connections=60', 'shared_buffers=16MB'])
        args.push('-c', s);
      // setpriv --pdeathsig: a test process killed outright (vitest timeout, ^C) takes its server with it.
      const child = spawn('setpriv', ['--pdeathsig', 'INT', '--', join(BIN, 'postgres'), ...args], opts);
      server = child;
      child.stderr?.on('data', (d: Buffer) => void (log = (log + d.toString()).slice(-4000)));
      child.stdout?.resume();
      await until(
        () => `PostgreSQL on port ${port} to accept connections; its log: ${log}`,
        30_000,
        async () => {
          if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${log}`);
          const c = new pg.Client(cluster.url());
          c.on('error', () => {});
          return c.connect().then(
            () => c.end().then(() => true),
            () => false,
          );
        },
        100,
      );
    },
    async stop() {
      const child = server;
      server = undefined;
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, disconnect clients
      await exited;
    },
    async remove() {
      await cluster.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    execFileSync('cp', ['-a', template(), data]); // -a keeps the postgres owner
    await cluster.start();
  } catch (err) {
    await cluster.remove();
    throw err;
  }
  return cluster;
}

export interface MigratedDatabase {
  /** A database of this file's cluster with every hub migration applied, and a pool on it. */
  url: string;
  pool: pg.Pool;
}

/**
 * The PostgreSQL set-up of a test file, in one line at its top level: beforeAll starts a throw-away
 * cluster and migrates one database (`db.url`, `db.pool`); `db.fresh()` gives another migrated database
 * of the same cluster (a suite that needs empty tables); afterAll ends every pool and removes the cluster,
 * whatever failed before.
 */
export function useMigratedDatabase() {
  let cluster: PgCluster | undefined;
  let main: MigratedDatabase | undefined;
  const pools: pg.Pool[] = [];
  const started = () => {
    if (!cluster || !main) throw new Error('useMigratedDatabase(): the cluster is not started (call it at the top level of the test file)');
    return { cluster, main };
  };
  async function fresh(): Promise<MigratedDatabase> {
    const url = await started().cluster.createDatabase();
    const pool = createPgPool(url, silentLogger());
    pools.push(pool);
    await migrate(pool, migrationsDir());
    return { url, pool };
  }
  beforeAll(async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    const pool = createPgPool(url, silentLogger());
    pools.push(pool);
    await migrate(pool, migrationsDir());
    main = { url, pool };
  });
  afterAll(async () => {
    for (const p of pools.splice(0)) await p.end().catch(() => {});
    await cluster?.remove();
  });
  return {
    get cluster() {
      return started().cluster;
    },
    get url() {
      return started().main.url;
    },
    get pool() {
      return started().main.pool;
    },
    fresh,
  };
}
