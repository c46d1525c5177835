import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { verifyChain } from './audit-chain.js';
import { runAuditCommand } from './audit-command.js';
import { describeAuditLogContract } from './audit-log-contract.js';
import { openPgAuditLog } from './audit-log-pg.js';

// The contract against PostgreSQL, then what only a shared database has: two nodes appending at once.

const db = useMigratedDatabase(); // each suite takes a fresh migrated database of this file's cluster (pools ended in afterAll)
const migrated = async () => (await db.fresh()).pool;

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
    remove: async () => {},
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
  });
});

describe('reception hub audit verify --store', () => {
  it('exit 0 on an intact chain in PostgreSQL; exit 1 naming the entry after one was removed', async () => {
    const { url, pool } = await db.fresh();
    const log = await openPgAuditLog({ pool, logger: silentLogger() });
    for (const action of ['signin', 'hearing.create', 'book.read']) await log.append({ actor: 'lan', action, outcome: 'ok' });
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      expect(await runAuditCommand(['verify', '--store', url])).toBe(0);
      expect(out.join('')).toMatch(/INTACT: postgres:\/\/postgres:\*\*\*@.* audit_log segment 1: 3 entries/);
      await pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await pool.query('DELETE FROM audit_log WHERE seq = 2');
      expect(await runAuditCommand(['verify', '--store', url])).toBe(1);
      expect(out.at(-1)).toMatch(/BROKEN: .* at its entry 2 \(in seq order\): prev does not match/);
    } finally {
      spy.mockRestore();
    }
  });
});
