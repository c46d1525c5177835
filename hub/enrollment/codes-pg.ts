import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { codeKey, newEnrollmentCode } from '../../common/contracts/enrollment.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { CODE_KEEP_MS, type CodeStore, matchCode, type StoredCode } from './codes.js';

// The one-time enrollment codes in PostgreSQL (migration 010), shared by every hub node and by
// `reception hub enroll-code` run against the same database. Claiming a code is one conditional UPDATE
// (… WHERE used_at IS NULL): of two nodes using one code at the same moment exactly one succeeds.

interface CodeRow {
  id: string;
  room: string;
  name: string;
  mac_key: string;
  issued_at: Date;
  issued_by: string;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
}

const storedOf = (r: CodeRow): StoredCode => ({
  id: r.id,
  room: r.room,
  name: r.name,
  macKey: r.mac_key,
  issuedAt: r.issued_at.toISOString(),
  issuedBy: r.issued_by,
  expiresAt: r.expires_at.toISOString(),
  ...(r.used_at ? { usedAt: r.used_at.toISOString() } : {}),
  ...(r.used_by ? { usedBy: r.used_by } : {}),
});

export function createPgCodeStore(opts: { pool: pg.Pool; now?: () => Date }): CodeStore {
  const now = opts.now ?? (() => new Date());
  const q = <R extends pg.QueryResultRow>(sql: string, values: unknown[]) => guarded(() => opts.pool.query<R>(sql, values));

  return {
    async issue({ room, name, ttlMinutes, by }) {
      const code = newEnrollmentCode();
      const issuedAt = now();
      const expiresAt = new Date(issuedAt.getTime() + ttlMinutes * 60_000).toISOString();
      const id = randomBytes(8).toString('hex');
      // Used and expired codes are forgotten a week later, as in the file.
      await q('DELETE FROM enrollment_codes WHERE COALESCE(used_at, expires_at) <= $1', [new Date(issuedAt.getTime() - CODE_KEEP_MS)]);
      await q(
        `INSERT INTO enrollment_codes (id, room, name, mac_key, issued_at, issued_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, room, name, codeKey(code, room).toString('hex'), issuedAt.toISOString(), by, expiresAt],
      );
      return { code, expiresAt, id };
    },
    async match(req) {
      const { rows } = await q<CodeRow>('SELECT * FROM enrollment_codes WHERE room = $1 ORDER BY issued_at, id', [req.room]);
      return matchCode(rows.map(storedOf), req, now());
    },
    async use(id, fingerprint) {
      const claimed = await q('UPDATE enrollment_codes SET used_at = $2, used_by = $3 WHERE id = $1 AND used_at IS NULL', [
        id,
        now().toISOString(),
        fingerprint,
      ]);
      if (claimed.rowCount === 1) return;
      const { rows } = await q<CodeRow>('SELECT * FROM enrollment_codes WHERE id = $1', [id]);
      if (!rows[0]) throw new Error('enrollment code vanished');
      throw Object.assign(new Error(`this enrollment code was already used at ${rows[0].used_at?.toISOString()}`), { used: true });
    },
    async pending() {
      const { rows } = await q<CodeRow>('SELECT * FROM enrollment_codes WHERE used_at IS NULL AND expires_at > $1 ORDER BY issued_at, id', [
        now().toISOString(),
      ]);
      return rows.map(storedOf).map(({ macKey: _k, ...c }) => c);
    },
  };
}
