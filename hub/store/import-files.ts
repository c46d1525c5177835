import type pg from 'pg';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import { summaryOf } from '../archive/hearing-index.js';
import { ImportError, type StateDirContent } from './import-read.js';

// `reception hub migrate --import-files <stateDir>`: a one-machine hub's files into an empty PostgreSQL store,
// all in one transaction (a failure leaves the database as it was). A store that already holds state is
// refused, naming what is there: merging two hubs' state is not something to do silently.

/** The tables the import fills, by aggregate (the same names as the counts printed). */
const TABLES: Record<string, string[]> = {
  hearings: ['hearings'],
  bookOutbox: ['book_outbox'],
  fleetOps: ['fleet_ops'],
  audit: ['audit_log'],
  registry: ['registry_rooms'],
  codes: ['enrollment_codes'],
  accounts: ['accounts'],
  commissioning: ['commissioning_reports', 'commissioning_self_tests'],
  rollout: ['rollout_targets'],
  history: ['fleet_history_rooms'],
  archive: ['archive_hearings'],
};
const LOCK_KEY = 7_140_014; // two imports at once: the second waits, then finds the store not empty

export type ImportCounts = Record<keyof typeof TABLES, number>;

export async function importStateDir(pool: pg.Pool, s: StateDirContent): Promise<ImportCounts> {
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const there: string[] = [];
    for (const t of Object.values(TABLES).flat()) {
      const n = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
      if (n) there.push(`${t}: ${n}`);
    }
    if (there.length)
      throw new ImportError(`cơ sở dữ liệu đã có dữ liệu, không nhập / the store is not empty, nothing imported: ${there.join(', ')}`);
    const q = (sql: string, v: unknown[]) => c.query(sql, v);

    for (const h of s.hearings) {
      await q('INSERT INTO hearings (id, title, rooms, state, created_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        h.id,
        h.title,
        h.rooms,
        h.state,
        h.createdAt,
        h.endedAt ?? null,
      ]);
      for (const st of h.history ?? [])
        await q('INSERT INTO hearing_stints (hearing_id, room, joined_at, left_at) VALUES ($1, $2, $3, $4)', [
          h.id,
          st.room,
          st.joinedAt,
          st.leftAt ?? null,
        ]);
    }
    for (const b of s.bookOutbox)
      await q(
        `INSERT INTO book_outbox (hearing, room, version, entry, state, updated_at, delivered_at, error, sha256, purged_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [b.hearing, b.room, b.version, JSON.stringify(b.entry), b.state, b.updatedAt, b.deliveredAt, b.error, b.sha256, b.purgedAt ?? null],
      );
    for (const { op, bundle } of s.fleetOps) {
      await q('INSERT INTO fleet_ops (id, room, state, record) VALUES ($1, $2, $3, $4)', [op.id, op.room, op.state, JSON.stringify(op)]);
      if (bundle) await q('INSERT INTO fleet_op_bundles (id, bytes) VALUES ($1, $2)', [op.id, bundle]);
    }
    // The lines as written (their hash chain was checked when read): segment 1, each at its own seq.
    for (const line of s.auditLines) {
      const e = JSON.parse(line) as { seq: number; actor: string; action: string };
      await q('INSERT INTO audit_log (segment, seq, line, actor, action) VALUES (1, $1, $2, $3, $4)', [e.seq, line, e.actor, e.action]);
    }
    for (const r of s.registry) {
      await q('INSERT INTO registry_rooms (id, name) VALUES ($1, $2)', [r.id, r.name]);
      for (const k of r.keys)
        await q(
          `INSERT INTO registry_keys (room, public_key_pem, fingerprint, enrolled_at, enrolled_by, valid_from, valid_to, revoked_at, revoked_by, reason, token_sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            r.id,
            k.publicKeyPem,
            k.fingerprint,
            k.enrolledAt,
            k.enrolledBy,
            k.validFrom,
            k.validTo ?? null,
            k.revokedAt ?? null,
            k.revokedBy ?? null,
            k.reason ?? null,
            k.tokenSha256,
          ],
        );
    }
    for (const k of s.codes)
      await q(
        `INSERT INTO enrollment_codes (id, room, name, mac_key, issued_at, issued_by, expires_at, used_at, used_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [k.id, k.room, k.name, k.macKey, k.issuedAt, k.issuedBy, k.expiresAt, k.usedAt ?? null, k.usedBy ?? null],
      );
    for (const a of s.accounts)
      await q(
        'INSERT INTO accounts (name, roles, password, totp_secret, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [a.name, a.roles, JSON.stringify(a.password), a.totpSecret ?? null, a.createdAt, a.passwordChangedAt],
      );
    for (const r of s.commissioning)
      await q(
        `INSERT INTO commissioning_reports (room, state, at, received_at, checks_passed, checks_failed, html) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.room, r.state, r.at, r.receivedAt, r.checksPassed, r.checksFailed, r.html],
      );
    for (const t of s.selfTests)
      await q('INSERT INTO commissioning_self_tests (room, hearing, at) VALUES ($1, $2, $3)', [t.room, t.hearing, t.at]);
    for (const [room, t] of Object.entries(s.rollout))
      await q('INSERT INTO rollout_targets (room, version, set_at, set_by) VALUES ($1, $2, $3, $4)', [room, t.version, t.setAt, t.by]);
    for (const [room, h] of Object.entries(s.history?.rooms ?? {})) {
      await q('INSERT INTO fleet_history_rooms (room, report_seconds) VALUES ($1, $2)', [room, h.reportSeconds]);
      for (const pt of h.points)
        await q('INSERT INTO fleet_history_points (room, t, point) VALUES ($1, $2, $3)', [room, pt[0], JSON.stringify(pt)]);
    }
    // The archive's per-hearing indexes (the recordings stay where they are; with a store the index is read here).
    for (const i of s.archive) {
      const x = summaryOf(i);
      await q('INSERT INTO archive_hearings (hearing, room, created_at, files, bytes, doc) VALUES ($1, $2, $3, $4, $5, $6)', [
        x.hearing,
        x.room,
        x.createdAt,
        x.files,
        x.bytes,
        JSON.stringify(i),
      ]);
    }
    return {
      archive: s.archive.length,
      hearings: s.hearings.length,
      bookOutbox: s.bookOutbox.length,
      fleetOps: s.fleetOps.length,
      audit: s.auditLines.length,
      registry: s.registry.length,
      codes: s.codes.length,
      accounts: s.accounts.length,
      commissioning: s.commissioning.length + s.selfTests.length,
      rollout: Object.keys(s.rollout).length,
      history: Object.keys(s.history?.rooms ?? {}).length,
    };
  });
}

/** The printed summary: Vietnamese first, then English, one aggregate a line. */
export function importSummary(dir: string, n: ImportCounts): string {
  const label: Record<keyof ImportCounts, string> = {
    hearings: 'phiên tiếp / hearings',
    bookOutbox: 'mục sổ tiếp công dân chờ gửi / reception book entries',
    fleetOps: 'thao tác từ xa / remote operations',
    audit: 'dòng nhật ký kiểm toán / audit log entries',
    registry: 'phòng đã đăng ký / enrolled rooms',
    codes: 'mã đăng ký / enrollment codes',
    accounts: 'tài khoản / accounts',
    commissioning: 'báo cáo nghiệm thu và tự kiểm / commissioning reports and self-tests',
    rollout: 'phòng có bản cập nhật đích / rooms with a rollout target',
    history: 'phòng có lịch sử 24 giờ / rooms with 24 h history',
    archive: 'phiên trong kho lưu trữ (chỉ mục) / archived hearings (their index)',
  };
  const lines = (Object.keys(label) as (keyof ImportCounts)[]).map((k) => `  ${label[k]}: ${n[k]}`);
  return `ĐÃ NHẬP / IMPORTED ${dir}:\n${lines.join('\n')}\n`;
}
