import type pg from 'pg';
import type { CommissioningListItem } from '../../common/contracts/commissioning.js';
import type { Logger } from '../../common/log.js';
import { listenPg } from '../../common/storage/pg/listener.js';
import { listenerReady } from '../../common/storage/pg/listener-ready.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import { type CommissioningStore, reportUrl, SELF_TESTS_PER_ROOM } from './commissioning-store.js';

// Commissioning reports and declared self-tests in PostgreSQL (migration 015), shared by every hub node.
// The list and the self-tests are kept in memory (the archive asks `tookPart` synchronously for each
// upload), reloaded after this node's writes and on NOTIFY commissioning_changed / each time its LISTEN is in place;
// the HTML is read from the table when asked for.

const CHANNEL = 'commissioning_changed';

interface ReportRow {
  room: string;
  state: CommissioningListItem['state'];
  at: string;
  checks_passed: number;
  checks_failed: number;
}

export async function openPgCommissioningStore(deps: {
  pool: pg.Pool;
  url: string;
  logger: Logger;
}): Promise<CommissioningStore & { close(): Promise<void> }> {
  const q = <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => guarded(() => deps.pool.query<R>(sql, values));
  let items: CommissioningListItem[] = [];
  let selfTests = new Set<string>();
  const load = async () => {
    const reports = await q<ReportRow>('SELECT room, state, at, checks_passed, checks_failed FROM commissioning_reports ORDER BY room');
    const tests = await q<{ room: string; hearing: string }>('SELECT room, hearing FROM commissioning_self_tests');
    items = reports.rows.map((r) => ({
      room: r.room,
      state: r.state,
      at: r.at,
      checksPassed: r.checks_passed,
      checksFailed: r.checks_failed,
      reportUrl: reportUrl(r.room),
    }));
    selfTests = new Set(tests.rows.map((t) => `${t.room}\u0000${t.hearing}`));
  };
  await load();
  let loading: Promise<void> = Promise.resolve();
  const reload = () =>
    (loading = loading.then(load).catch((err) => deps.logger.warn({ err }, 'commissioning not reloaded; the next change retries')));
  const listener = listenPg({ url: deps.url, channel: CHANNEL, onNotify: reload, onListening: reload, logger: deps.logger });
  await listenerReady(listener, CHANNEL);
  const tookPart = (hearing: string, room: string) => selfTests.has(`${room}\u0000${hearing}`);

  return {
    async save(room, upload) {
      const passed = upload.checks.filter((c) => c.result === 'pass').length;
      const failed = upload.checks.filter((c) => c.result === 'fail').length;
      await inTransaction(deps.pool, async (c) => {
        await c.query(
          `INSERT INTO commissioning_reports (room, state, at, received_at, checks_passed, checks_failed, html) VALUES ($1, $2, $3, now(), $4, $5, $6)
             ON CONFLICT (room) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at, received_at = EXCLUDED.received_at,
               checks_passed = EXCLUDED.checks_passed, checks_failed = EXCLUDED.checks_failed, html = EXCLUDED.html`,
          [room, upload.state, upload.at, passed, failed, upload.html],
        );
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, room]);
      });
      await reload();
      return { room, state: upload.state, at: upload.at, checksPassed: passed, checksFailed: failed, reportUrl: reportUrl(room) };
    },
    list: () => items,
    async reportHtml(room) {
      const { rows } = await q<{ html: string }>('SELECT html FROM commissioning_reports WHERE room = $1', [room]);
      return rows[0]?.html;
    },
    async addSelfTest(room, hearing) {
      await inTransaction(deps.pool, async (c) => {
        const added = await c.query(
          'INSERT INTO commissioning_self_tests (room, hearing, at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING',
          [room, hearing],
        );
        if (!added.rowCount) return;
        await c.query(
          'DELETE FROM commissioning_self_tests WHERE room = $1 AND ord NOT IN (SELECT ord FROM commissioning_self_tests WHERE room = $1 ORDER BY ord DESC LIMIT $2)',
          [room, SELF_TESTS_PER_ROOM],
        );
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, room]);
      });
      await reload();
    },
    tookPart,
    async close() {
      await listener.close();
      await loading;
    },
  };
}
