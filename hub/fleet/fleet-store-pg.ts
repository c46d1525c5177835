import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { BookAck, ReportSummary, RoomReport } from '../../common/contracts/fleet.js';
import type { BookInput } from '../../common/evidence/index.js';
import type { Logger } from '../../common/log.js';
import { listenPg } from '../../common/storage/pg/listener.js';
import { listenerReady } from '../../common/storage/pg/listener-ready.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import { type FleetStore, REFUSED_KEEP_MS, reportReads } from './fleet-store.js';
import type { BookEntryView } from './schemas.js';

// The fleet store in PostgreSQL (migration 011), shared by every hub node: a room reports to whichever
// node the load balancer picks, officers read from any. Each node keeps every room's last report in
// memory (/metrics reads it synchronously), updated by its own writes and by the others' (NOTIFY
// fleet_report '<node>:<room>'; everything reloaded each time its LISTEN is in place). The book outbox is
// read and changed in the database only, each change one statement: a new version is `version + 1` in
// the row's upsert (two officers on two nodes get two versions), an ack applies only to the version and
// state it names (an ack racing a correction leaves the correction pending).

const CHANNEL = 'fleet_report';

interface BookRow {
  hearing: string;
  room: string;
  version: number;
  entry: BookEntryView['entry'];
  state: BookEntryView['state'];
  updated_at: Date;
  delivered_at: Date | null;
  error: string | null;
  sha256: string | null;
  purged_at: Date | null;
  ord: string;
}

const viewOf = (r: BookRow): BookEntryView => ({
  state: r.state,
  hearing: r.hearing,
  room: r.room,
  version: r.version,
  entry: r.entry,
  updatedAt: r.updated_at.toISOString(),
  deliveredAt: r.delivered_at?.toISOString() ?? null,
  error: r.error,
  sha256: r.sha256,
  ...(r.purged_at ? { purgedAt: r.purged_at.toISOString() } : {}),
});

export interface PgFleetDeps {
  pool: pg.Pool;
  url: string;
  logger: Logger;
  now?: () => number;
  refusedKeepMs?: number;
}

export interface PgFleetStore extends FleetStore {
  /** Told of each report another node took (the fleet history: every node charts every room). */
  onRemoteReport(fn: (room: string, report: RoomReport) => void): void;
  close(): Promise<void>;
}

export async function openPgFleetStore(deps: PgFleetDeps): Promise<PgFleetStore> {
  const now = deps.now ?? Date.now;
  const refusedKeepMs = deps.refusedKeepMs ?? REFUSED_KEEP_MS;
  const node = randomBytes(6).toString('hex'); // our own notifications are skipped
  const q = <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => guarded(() => deps.pool.query<R>(sql, values));
  const reports = new Map<string, { summary: ReportSummary; receivedAt: number }>();
  type ReportRow = { room: string; summary: ReportSummary; received_at: Date };
  const keep = (r: ReportRow) => reports.set(r.room, { summary: r.summary, receivedAt: r.received_at.getTime() });
  let remote: (room: string, report: RoomReport) => void = () => {};
  const loadReports = async (room?: string) => {
    const { rows } = await q<ReportRow>(
      `SELECT room, summary, received_at FROM fleet_reports${room ? ' WHERE room = $1' : ''}`,
      room ? [room] : [],
    );
    for (const r of rows) keep(r);
    if (room && rows[0]) remote(room, rows[0].summary as RoomReport);
  };
  const quietly = (p: Promise<unknown>) =>
    p.catch((err) => deps.logger.warn({ err }, 'fleet reports not reloaded; the next notice retries'));
  await loadReports();
  const listener = listenPg({
    url: deps.url,
    channel: CHANNEL,
    onNotify: (payload) => {
      const [from, room] = [payload.slice(0, 12), payload.slice(13)];
      if (from !== node && room) void quietly(loadReports(room));
    },
    onListening: () => quietly(loadReports()),
    logger: deps.logger,
  });
  await listenerReady(listener, CHANNEL);
  const iso = () => new Date(now()).toISOString();

  /** A refused entry's citizen is purged refusedKeepMs after the refusal (state and reason stay). */
  const purgeRefused = () =>
    q(
      `UPDATE book_outbox SET entry = jsonb_set(entry, '{citizen}', 'null'), purged_at = $2
         WHERE state = 'failed' AND purged_at IS NULL AND entry->'citizen' <> 'null'::jsonb AND updated_at <= $1`,
      [new Date(now() - refusedKeepMs).toISOString(), iso()],
    );

  async function applyAcks(room: string, acks: BookAck[]): Promise<number> {
    let applied = 0;
    for (const a of acks) {
      // Written: the room holds the sealed record, the hub forgets the citizen's identity.
      const r = await q(
        `UPDATE book_outbox SET state = $4, error = $5, sha256 = $6, updated_at = $7,
                entry = CASE WHEN $4 = 'written' THEN jsonb_set(entry, '{citizen}', 'null') ELSE entry END
           WHERE hearing = $1 AND room = $2 AND version = $3 AND state = 'pending'`,
        [
          a.hearing,
          room,
          a.version,
          a.ok ? 'written' : 'failed',
          a.ok ? null : (a.error ?? 'refused by the room'),
          a.ok ? (a.sha256 ?? null) : null,
          iso(),
        ],
      );
      applied += r.rowCount ?? 0;
    }
    return applied;
  }

  return {
    ...reportReads(reports, now),
    async report(room: string, body: RoomReport) {
      const { acks, ...summary } = body;
      const receivedAt = now();
      // The NOTIFY in the upsert's transaction: sent at COMMIT, so no node hears of a report that rolled back
      // or reads the row before it is there, and none misses one that was written.
      await inTransaction(deps.pool, async (c) => {
        await c.query(
          `INSERT INTO fleet_reports (room, summary, received_at) VALUES ($1, $2, $3)
             ON CONFLICT (room) DO UPDATE SET summary = EXCLUDED.summary, received_at = EXCLUDED.received_at`,
          [room, JSON.stringify(summary), new Date(receivedAt).toISOString()],
        );
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, `${node}:${room}`]);
      });
      reports.set(room, { summary, receivedAt });
      await purgeRefused();
      const applied = await applyAcks(room, acks ?? []);
      const { rows } = await q<BookRow>(
        `UPDATE book_outbox SET delivered_at = $2 WHERE room = $1 AND state = 'pending' RETURNING hearing, entry, version, ord`,
        [room, iso()],
      );
      // Pending entries always carry the citizen (putBook takes a full BookInput; only written ones lose it).
      return {
        applied,
        book: rows
          .sort((a, b) => Number(a.ord) - Number(b.ord))
          .map((b) => ({ hearing: b.hearing, entry: b.entry as BookInput, version: b.version })),
      };
    },
    async putBook(hearing: string, room: string, entry: BookInput) {
      const { rows } = await q<BookRow>(
        `INSERT INTO book_outbox (hearing, room, version, entry, state, updated_at) VALUES ($1, $2, 1, $3, 'pending', $4)
           ON CONFLICT (hearing, room) DO UPDATE SET version = book_outbox.version + 1, entry = EXCLUDED.entry, state = 'pending',
             updated_at = EXCLUDED.updated_at, delivered_at = NULL, error = NULL, sha256 = NULL, purged_at = NULL
         RETURNING *`,
        [hearing, room, JSON.stringify(entry), iso()],
      );
      return viewOf(rows[0]!);
    },
    async getBook(hearing: string, room: string) {
      await purgeRefused();
      const { rows } = await q<BookRow>('SELECT * FROM book_outbox WHERE hearing = $1 AND room = $2', [hearing, room]);
      return rows[0] && viewOf(rows[0]);
    },
    saved: async () => {}, // every change is committed before its call returns
    onRemoteReport: (fn) => void (remote = fn),
    close: () => listener.close(),
  };
}
