import type pg from 'pg';
import { guarded } from '../../common/storage/pg/pool.js';
import { freshIndex, type HearingIndex, type IndexSummary, type Indexes, keyedLock, type StoredLine, summaryOf } from './hearing-index.js';

// The archive's indexes in PostgreSQL (003_archive_index.sql), for hub nodes sharing one database and
// one bucket: no cache (another node may have written; a primary-key read is cheap), and `locked` holds
// a session advisory lock on the hearing for the read-modify-write, so two nodes receiving parts of one
// hearing at once do not overwrite each other's index. The listing is one query on an index. Each row
// keeps its listing line (004): a save empties it, and a line is written only while the row is still the
// version it was computed from.

const LOCK_CLASS = 7_140_003; // first key of pg_advisory_lock(int, int): the archive's hearings
const STAMP_SQL = `'v' || a.version || '|' || a.files || '|' || a.bytes`; // = stampOf() below, in SQL
const stampOf = (version: number, files: number, bytes: number) => `v${version}|${files}|${bytes}`;

export function createPgIndexes(pool: pg.Pool): Indexes {
  const local = keyedLock(); // one waiter per hearing per node holds a connection, not every request
  return {
    async load(hearing) {
      const r = await guarded(() => pool.query<{ doc: HearingIndex }>('SELECT doc FROM archive_hearings WHERE hearing = $1', [hearing]));
      return r.rows[0]?.doc;
    },
    async save(index) {
      const s = summaryOf(index);
      await guarded(() =>
        pool.query(
          `INSERT INTO archive_hearings (hearing, room, created_at, files, bytes, doc) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (hearing) DO UPDATE SET room = $2, files = $4, bytes = $5, doc = $6, updated_at = now(),
             version = archive_hearings.version + 1, line = NULL`,
          [s.hearing, s.room, s.createdAt, s.files, s.bytes, JSON.stringify(index)],
        ),
      );
    },
    locked: (hearing, fn) =>
      local(hearing, async () => {
        const c = await guarded(() => pool.connect());
        try {
          await guarded(() => c.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, hearing]));
          return await fn();
        } finally {
          // Unlocking can fail only with a lost connection, which released the lock with it: drop the client then.
          const lost = await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, hearing]).then(
            () => undefined,
            (err: Error) => err,
          );
          c.release(lost);
        }
      }),
    fresh: freshIndex,
    async list(withLines) {
      const r = await guarded(() =>
        pool.query<{
          hearing: string;
          room: string;
          created_at: Date;
          files: number;
          bytes: string;
          version: string;
          line: StoredLine | null;
        }>(
          `SELECT hearing, room, created_at, files, bytes, version, ${withLines ? 'line' : 'NULL AS line'}
             FROM archive_hearings ORDER BY created_at DESC, hearing COLLATE "C"`,
        ),
      );
      return r.rows.map(
        (x): IndexSummary => ({
          hearing: x.hearing,
          room: x.room,
          createdAt: x.created_at.toISOString(),
          files: x.files,
          bytes: Number(x.bytes),
          version: Number(x.version),
          stamp: stampOf(Number(x.version), x.files, Number(x.bytes)),
          ...(x.line ? { line: x.line } : {}),
        }),
      );
    },
    async loadLines(hearings) {
      const r = await guarded(() =>
        pool.query<{ hearing: string; line: StoredLine }>(
          'SELECT hearing, line FROM archive_hearings WHERE hearing = ANY($1) AND line IS NOT NULL',
          [hearings],
        ),
      );
      return new Map(r.rows.map((x) => [x.hearing, x.line]));
    },
    async saveLines(lines) {
      for (let i = 0; i < lines.length; i += 1000) {
        const batch = JSON.stringify(lines.slice(i, i + 1000).map((l) => ({ hearing: l.hearing, line: l.stored })));
        await guarded(() =>
          pool.query(
            `UPDATE archive_hearings a SET line = x.line FROM jsonb_to_recordset($1::jsonb) AS x(hearing text, line jsonb)
              WHERE a.hearing = x.hearing AND x.line->>'of' = ${STAMP_SQL}`,
            [batch],
          ),
        );
      }
    },
  };
}
