import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { FleetOp, OpResult } from '../../common/contracts/fleet-ops.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import { fleetOpOf, KEEP, newOp, type OpsStore } from './ops-store.js';
import type { OpRecord, OpView } from './schemas.js';

// Remote operations in PostgreSQL (migration 014), shared by every hub node: a technician asks at one
// node, the room is handed the operation with its report at whichever node it reaches. No view in
// memory: each call reads the table. A room's result is one conditional UPDATE (… WHERE state is still
// open), so a result reported twice, to two nodes at once, is applied once.

const OPEN = `state IN ('pending', 'handed-over')`;
const view = ({ payload: _p, ...op }: OpRecord): OpView => op;

export function createPgOpsStore(deps: { pool: pg.Pool; now: () => number }): OpsStore {
  const q = <R extends pg.QueryResultRow>(sql: string, values: unknown[]) => guarded(() => deps.pool.query<R>(sql, values));
  const iso = () => new Date(deps.now()).toISOString();
  return {
    async create(room, req, by) {
      const op = newOp(room, req, by, deps.now());
      await q('INSERT INTO fleet_ops (id, room, state, record) VALUES ($1, $2, $3, $4)', [op.id, room, op.state, JSON.stringify(op)]);
      // The newest KEEP done operations stay; open ones are never dropped.
      await q(`DELETE FROM fleet_ops WHERE id IN (SELECT id FROM fleet_ops WHERE NOT ${OPEN} ORDER BY ord DESC OFFSET $1)`, [KEEP]);
      return view(op);
    },
    async list(room) {
      const { rows } = await q<{ record: OpRecord }>('SELECT record FROM fleet_ops WHERE room = $1 ORDER BY ord DESC', [room]);
      return rows.map((r) => view(r.record));
    },
    async get(room, id) {
      const { rows } = await q<{ record: OpRecord }>('SELECT record FROM fleet_ops WHERE room = $1 AND id = $2', [room, id]);
      return rows[0] && view(rows[0].record);
    },
    async exchange(room: string, results: OpResult[] = []): Promise<FleetOp[]> {
      for (const r of results)
        await q(
          `UPDATE fleet_ops SET state = $3, record = record || jsonb_build_object('state', $3::text, 'doneAt', $4::text, 'reason', $5::text)
             WHERE room = $1 AND id = $2 AND ${OPEN}`,
          [room, r.id, r.state, r.at, r.reason ?? null],
        );
      const { rows } = await q<{ record: OpRecord; ord: string }>(
        `UPDATE fleet_ops SET state = 'handed-over', record = record || jsonb_build_object('state', 'handed-over', 'handedOverAt', $2::text)
           WHERE room = $1 AND ${OPEN} RETURNING record, ord`,
        [room, iso()],
      );
      return rows.sort((a, b) => Number(a.ord) - Number(b.ord)).map((r) => fleetOpOf(room, r.record));
    },
    putBundle: (room, id, bytes) =>
      inTransaction(deps.pool, async (c) => {
        const { rows } = await c.query<{ state: string }>(
          `SELECT state FROM fleet_ops WHERE room = $1 AND id = $2 AND record->>'kind' = 'diagnostics' FOR UPDATE`,
          [room, id],
        );
        if (!rows[0] || rows[0].state === 'failed') return false;
        await c.query('INSERT INTO fleet_op_bundles (id, bytes) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET bytes = EXCLUDED.bytes', [
          id,
          bytes,
        ]);
        const bundle = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), at: iso() };
        await c.query(`UPDATE fleet_ops SET record = record || jsonb_build_object('bundle', $2::jsonb) WHERE id = $1`, [
          id,
          JSON.stringify(bundle),
        ]);
        return true;
      }),
    async bundle(id) {
      const { rows } = await q<{ bytes: Buffer }>('SELECT bytes FROM fleet_op_bundles WHERE id = $1', [id]);
      return rows[0]?.bytes;
    },
    saved: async () => {}, // every change is committed before its call returns
  };
}
