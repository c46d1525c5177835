import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Logger } from '../../common/log.js';
import { listenPg } from '../../common/storage/pg/listener.js';
import { listenerReady } from '../../common/storage/pg/listener-ready.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import type { Registry } from './registry.js';
import { newStoredKey, publicOf, registryReads, type StoredKey, type StoredRoom } from './registry-reads.js';

// The registry in PostgreSQL (migration 010), shared by every hub node. Reads stay synchronous (the auth
// plugin asks roomByToken on every request): each node keeps all rooms in memory, reloaded after its own
// writes and whenever another node's write is announced (NOTIFY registry_changed, and after the listener
// reconnects). Enrolling locks the room's row, so two nodes enrolling one room at once queue; a unique
// index keeps one open key per room whatever happens.

export const REGISTRY_CHANNEL = 'registry_changed';

interface KeyRow {
  room: string;
  name: string;
  public_key_pem: string | null;
  fingerprint: string;
  enrolled_at: Date;
  enrolled_by: string;
  valid_from: Date;
  valid_to: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  reason: string | null;
  token_sha256: string;
}

const keyOf = (r: KeyRow): StoredKey => ({
  publicKeyPem: r.public_key_pem!,
  fingerprint: r.fingerprint,
  enrolledAt: r.enrolled_at.toISOString(),
  enrolledBy: r.enrolled_by,
  validFrom: r.valid_from.toISOString(),
  ...(r.valid_to ? { validTo: r.valid_to.toISOString() } : {}),
  ...(r.revoked_at ? { revokedAt: r.revoked_at.toISOString() } : {}),
  ...(r.revoked_by ? { revokedBy: r.revoked_by } : {}),
  ...(r.reason ? { reason: r.reason } : {}),
  tokenSha256: r.token_sha256,
});

async function loadRooms(pool: pg.Pool): Promise<StoredRoom[]> {
  const { rows } = await guarded(() =>
    pool.query<KeyRow>(
      `SELECT r.id AS room, r.name, k.public_key_pem, k.fingerprint, k.enrolled_at, k.enrolled_by, k.valid_from, k.valid_to,
              k.revoked_at, k.revoked_by, k.reason, k.token_sha256
         FROM registry_rooms r LEFT JOIN registry_keys k ON k.room = r.id ORDER BY r.id, k.seq`,
    ),
  );
  const rooms = new Map<string, StoredRoom>();
  for (const row of rows) {
    const r = rooms.get(row.room) ?? { id: row.room, name: row.name, keys: [] };
    rooms.set(row.room, r);
    if (row.public_key_pem !== null) r.keys.push(keyOf(row));
  }
  return [...rooms.values()];
}

export interface PgRegistryDeps {
  pool: pg.Pool;
  /** The store's URL: the listener's own connection. */
  url: string;
  logger: Logger;
  now?: () => Date;
}

export async function openPgRegistry(deps: PgRegistryDeps): Promise<Registry & { close(): Promise<void> }> {
  const now = deps.now ?? (() => new Date());
  const events = new EventEmitter().setMaxListeners(0);
  let rooms = await loadRooms(deps.pool);
  let loading: Promise<void> = Promise.resolve();
  /** Reloads one after the other, so an older read never overwrites a newer one. */
  const reload = () =>
    (loading = loading
      .then(async () => {
        rooms = await loadRooms(deps.pool);
        events.emit('changed');
      })
      .catch((err) => deps.logger.error({ err }, 'ROOM REGISTRY NOT RELOADED: this node may act on an old copy until the next change')));
  const listener = listenPg({ url: deps.url, channel: REGISTRY_CHANNEL, onNotify: reload, onListening: reload, logger: deps.logger });
  await listenerReady(listener, REGISTRY_CHANNEL);
  const announce = (c: pg.PoolClient, room: string) => c.query('SELECT pg_notify($1, $2)', [REGISTRY_CHANNEL, room]);

  return {
    events,
    ...registryReads(() => rooms, now),
    async enroll({ room, name, publicKeyPem, by }) {
      const at = now().toISOString();
      const { key, token } = newStoredKey(publicKeyPem, by, at);
      await inTransaction(deps.pool, async (c) => {
        // The upsert locks the room's row: another node enrolling this room waits for our commit.
        await c.query(
          `INSERT INTO registry_rooms (id, name) VALUES ($1, $2)
             ON CONFLICT (id) DO UPDATE SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE registry_rooms.name END`,
          [room, name],
        );
        await c.query('UPDATE registry_keys SET valid_to = $2 WHERE room = $1 AND valid_to IS NULL AND revoked_at IS NULL', [room, at]);
        await c.query(
          `INSERT INTO registry_keys (room, public_key_pem, fingerprint, enrolled_at, enrolled_by, valid_from, token_sha256)
             VALUES ($1, $2, $3, $4, $5, $4, $6)`,
          [room, key.publicKeyPem, key.fingerprint, at, by, key.tokenSha256],
        );
        await announce(c, room);
      });
      await reload();
      return { key: publicOf(key), token };
    },
    async revoke(room, by, reason) {
      const at = now().toISOString();
      const row = await inTransaction(deps.pool, async (c) => {
        const r = await c.query<KeyRow>(
          `UPDATE registry_keys SET revoked_at = $2, revoked_by = $3, reason = $4
             WHERE room = $1 AND valid_to IS NULL AND revoked_at IS NULL AND valid_from <= $2
           RETURNING room, '' AS name, public_key_pem, fingerprint, enrolled_at, enrolled_by, valid_from, valid_to, revoked_at, revoked_by, reason, token_sha256`,
          [room, at, by, reason ?? null],
        );
        if (r.rows[0]) await announce(c, room);
        return r.rows[0];
      });
      if (!row) return undefined;
      await reload();
      return publicOf(keyOf(row));
    },
    async close() {
      await listener.close();
      await loading;
    },
  };
}
