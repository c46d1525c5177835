import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { NotFoundError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { listenPg } from '../../common/storage/pg/listener.js';
import { listenerReady } from '../../common/storage/pg/listener-ready.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import { newHearingId } from './hearing-id.js';
import { holderOf, selectAllHearings, selectHearing, type VersionedHearing } from './hearing-sql.js';
import { ConflictError, type Hearing, type HearingStore } from './hearing-store.js';
import type { HearingWrites } from './hearing-writes.js';

// Hearings in PostgreSQL (hub/store/README.md): every change is a transaction that locks the hearing's
// row; "a room in one active hearing" is the partial unique index of 001_hearings.sql, so two nodes
// adding the same room at once cannot both win — the loser gets the usual 409 with the holder named.
// The node's view is `store` (createHearingStore with writesElsewhere): filled from the database at
// open, from each write's result, and from other nodes' NOTIFYs ('<node>:<hearing>') — all through
// `put`, which keeps the newest version, so a late answer never rolls the view back.

const CHANNEL = 'hub_hearings';
const ONE_ACTIVE = 'hearing_stints_one_active_per_room';

export interface PgHearingDeps {
  pool: pg.Pool;
  url: string;
  logger: Logger;
  /** The view (createHearingStore({ writesElsewhere })). */
  store: HearingStore;
  roomIds: () => string[];
  roomProblem?: (room: string) => string | undefined;
}

export async function openPgHearings(deps: PgHearingDeps): Promise<HearingWrites> {
  const node = randomUUID().slice(0, 8);
  const versions = new Map<string, number>();
  const put = (v: VersionedHearing | undefined) => {
    if (!v || (versions.get(v.hearing.id) ?? 0) >= v.version) return;
    versions.set(v.hearing.id, v.version);
    deps.store.apply(v.hearing);
  };
  let reloads: Promise<void> = Promise.resolve(); // one at a time, in the order they were asked for
  const reload = (fn: () => Promise<void>) => {
    return (reloads = reloads.then(fn).catch((err: Error) => deps.logger.warn({ err: err.message }, 'hearing view not refreshed')));
  };
  for (const v of await guarded(() => selectAllHearings(deps.pool))) put(v);
  const listener = listenPg({
    url: deps.url,
    channel: CHANNEL,
    logger: deps.logger,
    onNotify: (payload) => {
      const [from, id] = payload.split(':');
      if (from !== node && id) reload(async () => put(await selectHearing(deps.pool, id)));
    },
    onListening: () => reload(async () => (await selectAllHearings(deps.pool)).forEach(put)),
  });
  await listenerReady(listener, CHANNEL);

  const checkRoom = (room: string) => {
    const problem = deps.roomProblem?.(room);
    if (problem) throw new ConflictError(problem);
    if (!deps.roomIds().includes(room)) throw new NotFoundError(`room "${room}" not found`);
  };

  /** Runs `change` in a transaction with the NOTIFY, puts the result in the view. */
  async function write(id: string, rooms: string[], change: (c: pg.PoolClient) => Promise<void>): Promise<Hearing> {
    try {
      const result = await inTransaction(deps.pool, async (c) => {
        await change(c);
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, `${node}:${id}`]); // delivered at COMMIT, never for a rollback
        return selectHearing(c, id);
      });
      put(result);
      return result!.hearing;
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code !== '23505' || e.constraint !== ONE_ACTIVE) throw err;
      for (const room of rooms) {
        const holder = await guarded(() => holderOf(deps.pool, room));
        if (holder && holder.id !== id) throw new ConflictError(`room "${room}" is already in hearing "${holder.id}" (${holder.title})`);
      }
      throw new ConflictError(`room "${rooms.join('", "')}" is already in another active hearing`);
    }
  }

  /** The hearing's row, locked for this transaction (404 when there is none). */
  async function lock(c: pg.PoolClient, id: string) {
    const r = await c.query<{ state: string; rooms: string[] }>('SELECT state, rooms FROM hearings WHERE id = $1 FOR UPDATE', [id]);
    if (r.rowCount === 0) throw new NotFoundError(`hearing "${id}" not found`);
    return r.rows[0]!;
  }
  const bump = 'version = version + 1';

  return {
    async create(title, rooms) {
      const unique = [...new Set(rooms)];
      unique.forEach(checkRoom);
      const id = newHearingId();
      const at = new Date().toISOString();
      return write(id, unique, async (c) => {
        await c.query('INSERT INTO hearings (id, title, rooms, state, created_at) VALUES ($1, $2, $3, $4, $5)', [
          id,
          title,
          unique,
          'active',
          at,
        ]);
        for (const r of unique) await c.query('INSERT INTO hearing_stints (hearing_id, room, joined_at) VALUES ($1, $2, $3)', [id, r, at]);
      });
    },
    addRoom: (id, room) =>
      write(id, [room], async (c) => {
        const h = await lock(c, id);
        if (h.state !== 'active') throw new ConflictError(`hearing "${id}" has ended`);
        checkRoom(room);
        const open = await c.query('SELECT 1 FROM hearing_stints WHERE hearing_id = $1 AND room = $2 AND left_at IS NULL', [id, room]);
        if (open.rowCount === 0)
          await c.query('INSERT INTO hearing_stints (hearing_id, room, joined_at) VALUES ($1, $2, $3)', [
            id,
            room,
            new Date().toISOString(),
          ]);
        await c.query(
          `UPDATE hearings SET rooms = CASE WHEN $2 = ANY (rooms) THEN rooms ELSE array_append(rooms, $2) END, ${bump} WHERE id = $1`,
          [id, room],
        );
      }),
    removeRoom: (id, room) =>
      write(id, [], async (c) => {
        const h = await lock(c, id);
        if (!h.rooms.includes(room)) throw new NotFoundError(`room "${room}" is not in hearing "${id}"`);
        await c.query(`UPDATE hearings SET rooms = array_remove(rooms, $2), ${bump} WHERE id = $1`, [id, room]);
        const at = new Date().toISOString();
        await c.query('UPDATE hearing_stints SET left_at = $3 WHERE hearing_id = $1 AND room = $2 AND left_at IS NULL', [id, room, at]);
      }),
    end: (id) =>
      write(id, [], async (c) => {
        const h = await lock(c, id);
        if (h.state === 'ended') return; // already: the same answer, nothing changes
        const at = new Date().toISOString();
        await c.query(`UPDATE hearings SET state = 'ended', ended_at = $2, ${bump} WHERE id = $1`, [id, at]);
        await c.query('UPDATE hearing_stints SET left_at = $2 WHERE hearing_id = $1 AND left_at IS NULL', [id, at]);
      }),
    close: () => listener.close(),
  };
}
