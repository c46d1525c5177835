import type pg from 'pg';
import type { Logger } from '../../common/log.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import type { AuditEntryInput } from './audit-contract.js';
import { formatLine, GENESIS, hashLine, verifyChain, type AuditLine } from './audit-chain.js';
import type { AuditBreak, HubAuditLog } from './audit-log.js';

// The audit log in PostgreSQL (002_audit_log.sql), for hub nodes sharing one database: one chain for
// all of them. An append takes a transaction advisory lock, reads the last line, chains to it and
// inserts — so two nodes appending at once are put one after the other, never both at seq n+1. The
// current segment is checked at open, as the file backend checks its file.

const LOCK_KEY = 7_140_002;

export async function openPgAuditLog(opts: { pool: pg.Pool; logger: Logger; now?: () => Date }): Promise<HubAuditLog> {
  const { pool } = opts;
  const now = opts.now ?? (() => new Date());
  const current = async (db: Pick<pg.ClientBase, 'query'>) =>
    (await db.query<{ s: number | null }>('SELECT max(segment) AS s FROM audit_log')).rows[0]?.s ?? 1;

  let broken: AuditBreak | undefined;
  const segment = await guarded(() => current(pool));
  const lines = await guarded(() => pool.query<{ line: string }>('SELECT line FROM audit_log WHERE segment = $1 ORDER BY seq', [segment]));
  const text = lines.rows.map((r) => `${r.line}\n`).join('');
  const check = verifyChain(text);
  if (!check.ok) {
    broken = { file: `audit_log segment ${segment}`, line: check.line, reason: check.reason, sha256: hashLine(text) };
    opts.logger.error(
      { segment, line: check.line, reason: check.reason },
      'AUDIT LOG TAMPERED OR DAMAGED: its hash chain is broken; the segment is kept and a new one starts',
    );
  }

  const insert = (entry: AuditEntryInput, newSegment: boolean) =>
    inTransaction(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const last = await c.query<{ segment: number; seq: number; line: string }>(
        'SELECT segment, seq, line FROM audit_log ORDER BY segment DESC, seq DESC LIMIT 1',
      );
      const row = last.rows[0];
      const [seg, seq, prev] = !row
        ? [1, 1, GENESIS]
        : newSegment
          ? [row.segment + 1, 1, GENESIS]
          : [row.segment, row.seq + 1, hashLine(row.line)];
      const line = formatLine(entry, seq, prev, now());
      await c.query('INSERT INTO audit_log (segment, seq, line, actor, action) VALUES ($1, $2, $3, $4, $5)', [
        seg,
        seq,
        line,
        entry.actor,
        entry.action,
      ]);
    });

  let queue: Promise<void> = Promise.resolve();
  const append = (entry: AuditEntryInput, newSegment = false): Promise<void> => {
    const next = queue.then(() => insert(entry, newSegment));
    queue = next.catch((err: Error) => opts.logger.error({ err: err.message }, 'AUDIT ENTRY NOT WRITTEN'));
    return next;
  };
  if (broken)
    await append(
      {
        actor: 'hub',
        action: 'audit.segment',
        outcome: 'ok',
        reason: `previous segment broken at line ${broken.line} (${broken.reason}); kept as ${broken.file}, sha256 ${broken.sha256}`,
      },
      true,
    );

  return {
    append: (entry) => append(entry),
    get broken() {
      return broken;
    },
    async entries(q = {}) {
      await queue;
      const r = await guarded(() =>
        pool.query<{ line: string }>(
          `SELECT line FROM audit_log WHERE segment = (SELECT max(segment) FROM audit_log) AND seq > $1
             AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR action = $3)
           ORDER BY seq DESC LIMIT $4`,
          [q.afterSeq ?? 0, q.actor ?? null, q.action ?? null, q.limit ?? 100],
        ),
      );
      return r.rows.map((x) => JSON.parse(x.line) as AuditLine).reverse();
    },
    flushed: () => queue,
    close: () => queue,
  };
}
