import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { SignedInUser } from '../auth/identity.js';
import type { Logger } from '../../common/log.js';
import { listenPg } from '../../common/storage/pg/listener.js';
import { guarded } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import { ABSOLUTE_MS, IDLE_MS, type KeptSession, type SessionSharing } from './sessions.js';

// Sessions shared by every hub node (migration 013): each node keeps them all in memory (the auth
// plugin looks a cookie up on every request, synchronously), stores a new one before its cookie is sent,
// and announces sign-ins and sign-outs (NOTIFY sessions_changed '<node>:+key' / '<node>:-key,key…').
// Use is written in batches (TOUCH_MS) and every node re-reads all sessions as often, taking the latest
// use: the idle limit holds whichever node a browser talks to, late by at most twice TOUCH_MS.

const CHANNEL = 'sessions_changed';
export const TOUCH_MS = 30_000;

interface Row {
  key: string;
  person: SignedInUser;
  csrf: string;
  started_at: Date;
  last_seen: Date;
}

export async function pgSessionSharing(deps: { pool: pg.Pool; url: string; logger: Logger; touchMs?: number }) {
  const node = randomBytes(6).toString('hex');
  const q = <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => guarded(() => deps.pool.query<R>(sql, values));
  const warn = (what: string) => (err: unknown) => deps.logger.warn({ err }, `sessions: ${what} (retried with the next change)`);
  let initial = (await q<Row>('SELECT * FROM sessions')).rows;

  return (kept: Map<string, KeptSession>, now: () => number): SessionSharing => {
    // Signed out here: never taken back from a read (one begun before the DELETE, or the DELETE failed), kept
    // until the session would have expired anyway; `unshared`: DELETEs not yet committed, tried again each flush.
    const signedOut = new Map<string, number>();
    const unshared = new Set<string>();
    const put = (r: Row) => {
      if (signedOut.has(r.key)) return;
      const had = kept.get(r.key);
      const lastSeen = Math.max(had?.lastSeen ?? 0, r.last_seen.getTime());
      const session = {
        id: r.key,
        user: r.person,
        csrf: r.csrf,
        expiresAt: Math.min(lastSeen + IDLE_MS, r.started_at.getTime() + ABSOLUTE_MS),
      };
      kept.set(r.key, had ? { ...had, lastSeen } : { session, startedAt: r.started_at.getTime(), lastSeen });
    };
    for (const r of initial) put(r);
    initial = [];
    /** All sessions again: the latest use of each, and the ones another node ended while we did not hear it. */
    const reloadAll = async () => {
      const { rows } = await q<Row>('SELECT * FROM sessions');
      const live = new Set(rows.map((r) => r.key));
      for (const key of kept.keys()) if (!live.has(key)) kept.delete(key);
      for (const r of rows) put(r);
    };
    const listener = listenPg({
      url: deps.url,
      channel: CHANNEL,
      onNotify: (payload) => {
        if (payload.startsWith(`${node}:`)) return;
        const what = payload.slice(13);
        if (what.startsWith('-')) for (const key of what.slice(1).split(',')) kept.delete(key);
        else
          void q<Row>('SELECT * FROM sessions WHERE key = $1', [what.slice(1)]).then(
            ({ rows }) => rows.forEach(put),
            warn('a new session not loaded'),
          );
      },
      onListening: () => reloadAll().catch(warn('not reloaded')),
      logger: deps.logger,
    });
    const touched = new Map<string, number>();
    const share = async (keys: string[]) => {
      await inTransaction(deps.pool, async (c) => {
        await c.query('DELETE FROM sessions WHERE key = ANY($1)', [keys]);
        await announce(c, `-${keys.join(',')}`);
      });
      for (const key of keys) unshared.delete(key);
    };
    const flush = async () => {
      if (unshared.size) await share([...unshared]).catch(warn('sign-out not shared yet'));
      for (const [key, at] of signedOut) if (at < now() - ABSOLUTE_MS) signedOut.delete(key);
      const batch = [...touched];
      touched.clear();
      for (const [key, t] of batch)
        await q('UPDATE sessions SET last_seen = GREATEST(last_seen, $2) WHERE key = $1', [key, new Date(t).toISOString()]);
      const t = now();
      await q('DELETE FROM sessions WHERE last_seen < $1 OR started_at < $2', [
        new Date(t - IDLE_MS).toISOString(),
        new Date(t - ABSOLUTE_MS).toISOString(),
      ]);
      await reloadAll();
    };
    const timer = setInterval(() => void flush().catch(warn('use not written')), deps.touchMs ?? TOUCH_MS);
    timer.unref();
    const announce = (c: pg.PoolClient | pg.Pool, what: string) => c.query('SELECT pg_notify($1, $2)', [CHANNEL, `${node}:${what}`]);

    return {
      async open(key, k, ended) {
        await listener.ready; // the hub start already waited for the other views' LISTEN (listener-ready.ts)
        await inTransaction(deps.pool, async (c) => {
          if (ended.length) await c.query('DELETE FROM sessions WHERE key = ANY($1)', [ended]);
          await c.query('INSERT INTO sessions (key, person, csrf, started_at, last_seen) VALUES ($1, $2, $3, $4, $4)', [
            key,
            JSON.stringify(k.session.user),
            k.session.csrf,
            new Date(k.startedAt).toISOString(),
          ]);
          if (ended.length) await announce(c, `-${ended.join(',')}`);
          await announce(c, `+${key}`);
        });
      },
      end(keys) {
        for (const key of keys) touched.delete(key), signedOut.set(key, now()), unshared.add(key);
        void share(keys).catch(warn('sign-out not shared yet'));
      },
      touch: (key, t) => void touched.set(key, t),
      async stop() {
        clearInterval(timer);
        await flush().catch(warn('use not written at stop'));
        await listener.close();
      },
    };
  };
}
