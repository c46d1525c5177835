import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createPgPool } from '../../common/storage/pg/pool.js';
import { startPostgres, type PgCluster } from '../../tests/helpers/postgres.js';
import { openHubStore } from '../store/hub-store.js';
import { verifyChain } from './audit-chain.js';
import { describeAuditLogContract } from './audit-log-contract.js';
import { openPgAuditLog } from './audit-log-pg.js';

// The contract against PostgreSQL, then what only a shared database has: two nodes appending at once.

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.remove());

async function migrated() {
  const url = await cluster.createDatabase();
  await (await openHubStore(url, silentLogger())).close();
  return createPgPool(url, silentLogger());
}

describeAuditLogContract('PostgreSQL', async () => {
  const pool = await migrated();
  return {
    open: () => openPgAuditLog({ pool, logger: silentLogger() }),
    async dropSecond() {
      // What a database owner could do: the hub's own connections cannot (the trigger refuses).
      await expect(pool.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only/);
      await pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await pool.query('DELETE FROM audit_log WHERE seq = 2 AND segment = (SELECT max(segment) FROM audit_log)');
      await pool.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    },
    remove: () => pool.end(),
  };
});

describe('audit log on two hub nodes sharing PostgreSQL', () => {
  it('appends from both nodes at once make one unbroken chain', async () => {
    const pool = await migrated();
    const [a, b] = await Promise.all([openPgAuditLog({ pool, logger: silentLogger() }), openPgAuditLog({ pool, logger: silentLogger() })]);
    const act = (log: typeof a, who: string) =>
      Array.from({ length: 25 }, (_, i) => log.append({ actor: who, action: `x.${i}`, outcome: 'ok' }));
    await Promise.all([...act(a, 'node:a'), ...act(b, 'node:b')]);
    const all = await a.entries({ limit: 1000 });
    expect(all).toHaveLength(50);
    expect(verifyChain(all.map((e) => `${JSON.stringify(e)}\n`).join(''))).toMatchObject({ ok: true, count: 50 });
    expect((await b.entries({ actor: 'node:a', limit: 1000 })).map((e) => e.action)).toEqual(
      Array.from({ length: 25 }, (_, i) => `x.${i}`),
    );
    await pool.end();
  });
});
