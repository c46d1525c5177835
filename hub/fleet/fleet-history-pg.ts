import type pg from 'pg';
import type { ReportSummary } from '../../common/contracts/fleet.js';
import type { Logger } from '../../common/log.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import { mergePoint, newPoint, sampleOf, type StoredPoint } from './fleet-history-point.js';
import { BUCKET_MS, type FleetHistoryStore, HISTORY_WINDOW_MS, seriesOf } from './fleet-history.js';

// The rooms' 24 h history in PostgreSQL (031_fleet_history.sql), shared by every hub node: a room reporting
// to any node lands in one series, and every node's console draws the same charts. Only the node that took
// a report records it. A report is one transaction: the room's row is upserted first, which locks it, so two
// nodes folding reports into the same minute queue instead of losing one; the minute is then merged as the
// file backend merges it (fleet-history-point.ts). Points past the window are deleted as reports arrive.

export async function openPgFleetHistory(deps: {
  pool: pg.Pool;
  logger: Logger;
  now?: () => number;
  bucketMs?: number;
  windowMs?: number;
}): Promise<FleetHistoryStore> {
  const now = deps.now ?? Date.now;
  const bucketMs = deps.bucketMs ?? BUCKET_MS;
  const windowMs = deps.windowMs ?? HISTORY_WINDOW_MS;
  await guarded(() => deps.pool.query('SELECT 1 FROM fleet_history_rooms LIMIT 1')); // migrated? (names the table if not)
  let queue: Promise<void> = Promise.resolve();
  let lastSweep = 0;

  const store = (room: string, summary: ReportSummary, at: number) =>
    inTransaction(deps.pool, async (c) => {
      const t = Math.floor(at / bucketMs) * bucketMs;
      await c.query(
        `INSERT INTO fleet_history_rooms (room, report_seconds) VALUES ($1, $2)
           ON CONFLICT (room) DO UPDATE SET report_seconds = EXCLUDED.report_seconds`,
        [room, summary.reportSeconds],
      );
      const last = (
        await c.query<{ t: string; point: StoredPoint }>(
          'SELECT t, point FROM fleet_history_points WHERE room = $1 ORDER BY t DESC LIMIT 1',
          [room],
        )
      ).rows[0];
      const s = sampleOf(summary);
      if (last && Number(last.t) === t) {
        mergePoint(last.point, s);
        await c.query('UPDATE fleet_history_points SET point = $3 WHERE room = $1 AND t = $2', [room, t, JSON.stringify(last.point)]);
      } else if (!last || Number(last.t) < t)
        await c.query('INSERT INTO fleet_history_points (room, t, point) VALUES ($1, $2, $3)', [room, t, JSON.stringify(newPoint(t, s))]);
      // else: the clock went back (tests) — the report is not history, as in the file backend.
      const oldest = at - windowMs - bucketMs; // a point is kept while its minute overlaps the window
      if (at - lastSweep >= bucketMs) {
        lastSweep = at;
        await c.query('DELETE FROM fleet_history_points WHERE t <= $1', [oldest]); // every room's, once a minute
      }
    });

  return {
    record(room, summary) {
      const at = now();
      queue = queue
        .then(() => store(room, summary, at))
        .catch((err: Error) =>
          deps.logger.warn({ err: err.message, room }, 'fleet history not saved: this minute of the charts misses a report'),
        );
    },
    async series(room, hours) {
      await queue; // this node's reports so far are in
      const from = now() - Math.min(hours * 3600_000, windowMs);
      const [r, p] = await guarded(() =>
        Promise.all([
          deps.pool.query<{ report_seconds: number }>('SELECT report_seconds FROM fleet_history_rooms WHERE room = $1', [room]),
          deps.pool.query<{ point: StoredPoint }>('SELECT point FROM fleet_history_points WHERE room = $1 AND t > $2 ORDER BY t', [
            room,
            from - bucketMs,
          ]),
        ]),
      );
      const h = r.rows[0] ? { reportSeconds: r.rows[0].report_seconds, points: p.rows.map((x) => x.point) } : undefined;
      return seriesOf(room, h, hours, { now: now(), bucketMs, windowMs });
    },
    flush: () => queue,
  };
}
