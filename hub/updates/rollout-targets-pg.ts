import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../../common/log.js';
import { listenPg } from '../../common/storage/pg/listener.js';
import { listenerReady } from '../../common/storage/pg/listener-ready.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import type { RolloutTargets, Target } from './rollout-targets.js';

// Rollout targets in PostgreSQL (030_rollout.sql), shared by every hub node: a target set at node A is
// offered to the room at node B. Each node keeps all targets in memory (a room's report is answered
// synchronously); a write is one transaction ending with NOTIFY rollout_changed, every node reloads on it
// (and everything after its listener reconnects: notices sent meanwhile are lost).

const CHANNEL = 'rollout_changed';

export async function openPgRolloutTargets(deps: { pool: pg.Pool; url: string; logger: Logger }): Promise<RolloutTargets> {
  const node = randomBytes(6).toString('hex');
  let targets: Record<string, Target> = {};
  const load = async () => {
    const { rows } = await guarded(() =>
      deps.pool.query<{ room: string; version: string; set_at: string; set_by: string }>('SELECT * FROM rollout_targets'),
    );
    targets = Object.fromEntries(rows.map((r) => [r.room, { version: r.version, setAt: r.set_at, by: r.set_by }]));
  };
  let loads: Promise<void> = Promise.resolve();
  const reload = () =>
    (loads = loads
      .then(load)
      .catch((err: Error) => deps.logger.warn({ err: err.message }, 'rollout targets not reloaded; the next notice retries')));
  await load(); // unreachable at start: the error (StoreUnavailableError) stops the open
  const listener = listenPg({
    url: deps.url,
    channel: CHANNEL,
    logger: deps.logger,
    onNotify: (payload) => void (payload.startsWith(`${node}:`) || reload()),
    onListening: () => reload(),
  });
  await listenerReady(listener, CHANNEL);

  const write = async (fn: (c: pg.PoolClient) => Promise<unknown>) => {
    await inTransaction(deps.pool, async (c) => {
      await fn(c);
      await c.query('SELECT pg_notify($1, $2)', [CHANNEL, `${node}:`]); // sent at COMMIT only
    });
    await reload();
  };
  return {
    get: (room) => targets[room],
    all: () => structuredClone(targets),
    set: (t, rooms) =>
      write((c) =>
        c.query(
          `INSERT INTO rollout_targets (room, version, set_at, set_by) SELECT unnest($1::text[]), $2, $3, $4
             ON CONFLICT (room) DO UPDATE SET version = EXCLUDED.version, set_at = EXCLUDED.set_at, set_by = EXCLUDED.set_by`,
          [rooms, t.version, t.setAt, t.by],
        ),
      ),
    clear: (rooms) => write((c) => c.query('DELETE FROM rollout_targets WHERE room = ANY($1::text[])', [rooms])),
    flush: () => loads,
    close: async () => {
      await listener.close();
      await loads;
    },
  };
}
