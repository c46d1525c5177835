import type pg from 'pg';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import type { ClusterStore, ClusterStoreOptions, RoomPresence } from './cluster-store.js';

// The PostgreSQL backend (tables of migrations/020_cluster.sql): shared by every hub node. Ages come from the
// database's now(); a claim is one conditional statement — INSERT … ON CONFLICT DO NOTHING for a hearing not yet
// placed, UPDATE … WHERE node = <expected> for a move — so of racing nodes exactly one changes the row.

export function createPgClusterStore(opts: ClusterStoreOptions & { pool: pg.Pool; onClose?: () => Promise<void> }): ClusterStore {
  const { pool } = opts;
  const q = (sql: string, values: unknown[] = []) => guarded(() => pool.query(sql, values));
  return {
    async heartbeat(b) {
      await q(
        `INSERT INTO cluster_nodes (id, url, legs, cpu, rooms, last_seen) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, legs = EXCLUDED.legs, cpu = EXCLUDED.cpu, rooms = EXCLUDED.rooms, last_seen = now()`,
        [b.id, b.url, b.legs, b.cpu, JSON.stringify(b.rooms)],
      );
    },
    async nodes() {
      const r = await q(
        `SELECT id, url, legs, cpu, rooms, (extract(epoch FROM now() - last_seen) * 1000)::float8 AS age_ms FROM cluster_nodes ORDER BY id`,
      );
      return r.rows.map((row: { id: string; url: string; legs: number; cpu: number; rooms: RoomPresence[]; age_ms: number }) => ({
        id: row.id,
        url: row.url,
        legs: row.legs,
        cpu: row.cpu,
        rooms: row.rooms,
        ageMs: Math.max(0, Math.round(row.age_ms)),
        alive: row.age_ms <= opts.deadAfterMs,
      }));
    },
    async leave(nodeId) {
      await inTransaction(pool, async (c) => {
        await c.query('DELETE FROM cluster_placements WHERE node = $1', [nodeId]);
        await c.query('DELETE FROM cluster_nodes WHERE id = $1', [nodeId]);
      });
    },
    async placements() {
      const r = await q('SELECT hearing, node, epoch FROM cluster_placements ORDER BY hearing');
      return r.rows as { hearing: string; node: string; epoch: number }[];
    },
    async claim(hearing, expected, node) {
      const r =
        expected === null
          ? await q('INSERT INTO cluster_placements (hearing, node) VALUES ($1, $2) ON CONFLICT (hearing) DO NOTHING', [hearing, node])
          : await q('UPDATE cluster_placements SET node = $3, epoch = epoch + 1, placed_at = now() WHERE hearing = $1 AND node = $2', [
              hearing,
              expected,
              node,
            ]);
      return r.rowCount === 1;
    },
    async release(hearing) {
      await q('DELETE FROM cluster_placements WHERE hearing = $1', [hearing]);
    },
    async close() {
      await opts.onClose?.();
    },
  };
}
