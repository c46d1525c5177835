import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { verifyRegistryExport } from '../../common/evidence/index.js';
import { defaultKeyFile } from '../archive/create-archive.js';
import { loadOrCreateHubKey } from '../archive/hub-key.js';
import { runRegistryExportCommand } from '../archive/registry-export-command.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { until } from '../../tests/helpers/until.js';
import { createPgCodeStore } from './codes-pg.js';
import { openPgRegistry } from './registry-pg.js';
import { describeCodeStoreContract } from './test/codes-suite.js';
import { describeRegistryContract, pemOf } from './test/registry-suite.js';

// The enrollment registry and codes on a real PostgreSQL (a throw-away cluster for this file): the same
// contracts as the file backends, then what only several hub nodes on one database can do.

const db = useMigratedDatabase(); // this file's cluster, a migrated database and its pool
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const close of closers) await close().catch(() => {});
});

// DELETE, not TRUNCATE: the registries of earlier tests are still listening and reload on their NOTIFYs; a
// reload's shared locks against TRUNCATE's exclusive ones, taken table by table, deadlocked (CI, load 20).
const emptyTables = () => db.pool.query('DELETE FROM registry_keys; DELETE FROM registry_rooms; DELETE FROM enrollment_codes');
const openRegistry = async (now?: () => Date) => {
  const reg = await openPgRegistry({ pool: db.pool, url: db.url, logger: silentLogger(), now });
  closers.push(reg.close);
  return reg;
};

describeRegistryContract('postgres', async () => (await emptyTables(), { open: openRegistry }));
describeCodeStoreContract(
  'postgres',
  async () => (await emptyTables(), { open: async (now) => createPgCodeStore({ pool: db.pool, now }) }),
);

describe('room registry on two hub nodes (postgres)', () => {
  it("a node sees the other's enrollment and revocation by itself; the old token dies on both", async () => {
    await emptyTables();
    const [a, b] = [await openRegistry(), await openRegistry()];
    const { token } = await a.enroll({ room: 'room-a', name: 'Phòng A', publicKeyPem: pemOf(), by: 'tech' });
    await until('node b to know room-a', 10_000, () => b.roomByToken(token)?.room.id === 'room-a');
    expect(b.rooms().map((r) => r.id)).toEqual(['room-a']);
    await b.revoke('room-a', 'tech', 'box stolen');
    await until("node a to see node b's revocation", 10_000, () => a.roomByToken(token) === undefined);
    expect(a.room('room-a')?.keys[0]).toMatchObject({ revokedBy: 'tech', reason: 'box stolen' });
  });

  it('two nodes enrolling one room at the same moment leave exactly one active key, the later one', async () => {
    await emptyTables();
    const [a, b] = [await openRegistry(), await openRegistry()];
    const results = await Promise.all([
      a.enroll({ room: 'room-r', name: 'R', publicKeyPem: pemOf(), by: 'a' }),
      b.enroll({ room: 'room-r', name: 'R', publicKeyPem: pemOf(), by: 'b' }),
    ]);
    const { rows } = await db.pool.query(
      'SELECT count(*)::int AS n FROM registry_keys WHERE room = $1 AND valid_to IS NULL AND revoked_at IS NULL',
      ['room-r'],
    );
    expect(rows[0].n).toBe(1);
    const fresh = await openRegistry();
    const live = results.filter((r) => fresh.roomByToken(r.token));
    expect(live).toHaveLength(1);
    expect(fresh.room('room-r')?.keys.at(-1)?.fingerprint).toBe(live[0]!.key.fingerprint);
  });
});

describe('reception hub registry-export with a store (postgres)', () => {
  it('exports the registry of the database, signed with the hub key of the state dir', async () => {
    await emptyTables();
    const reg = await openRegistry();
    const pem = pemOf();
    await reg.enroll({ room: 'room-x', name: 'Phòng X', publicKeyPem: pem, by: 'technician:lan' });
    const stateDir = mkdtempSync(join(tmpdir(), 'registry-export-pg-'));
    closers.push(async () => rmSync(stateDir, { recursive: true, force: true }));
    const hub = await loadOrCreateHubKey(defaultKeyFile(stateDir));
    const config = join(stateDir, 'hub.json');
    writeFileSync(config, JSON.stringify({ stateDir, store: db.url }));
    const out = join(stateDir, 'export.json');
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    const code = await runRegistryExportCommand(['--config', config, '--out', out]).finally(() => void (process.stderr.write = stderr));
    expect(code).toBe(0); // no registry.json in the state dir: the database's registry
    const v = verifyRegistryExport(JSON.parse(readFileSync(out, 'utf8')), hub.publicKeyRaw);
    expect(v.ok && v.doc.rooms.map((r) => r.id)).toEqual(['room-x']);
  });
});
