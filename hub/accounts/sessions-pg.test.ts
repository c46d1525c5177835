import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { fastifyCookie } from '@fastify/cookie';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { until } from '../../tests/helpers/until.js';
import { IDLE_MS, SESSION_COOKIE, createSessionStore, type SessionStore } from './sessions.js';
import { pgSessionSharing } from './sessions-pg.js';

// People's sessions shared by two hub nodes on a real PostgreSQL: a browser signed in at one node is
// signed in at the other, a sign-out at either ends it at both, a restarted node still knows it, and
// the idle limit counts use at any node.

const db = useMigratedDatabase(); // this file's cluster, a migrated database and its pool
const stores: SessionStore[] = [];
let t = Date.parse('2026-03-01T08:00:00Z');

beforeAll(async () => {
  await Fastify().register(fastifyCookie).ready(); // @fastify/cookie loads its cookie parser when registered (sessions.ts uses it)
});
afterAll(async () => {
  for (const s of stores) await s.stop().catch(() => {});
});

const node = async (touchMs = 100) => {
  const s = createSessionStore({
    now: () => t,
    share: await pgSessionSharing({ pool: db.pool, url: db.url, logger: silentLogger(), touchMs }),
  });
  stores.push(s);
  return s;
};
const browser = (cookie?: string) =>
  ({ headers: cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}, protocol: 'https' }) as unknown as FastifyRequest;
function signIn(s: SessionStore) {
  let cookie = '';
  const reply = { header: (_n: string, v: string) => void (cookie = /=([^;]*)/.exec(v)![1]!) } as unknown as FastifyReply;
  return s.open({ name: 'lan', roles: ['officer'], via: 'local' }, browser(), reply).then((session) => ({ session, cookie }));
}

describe('sessions on two hub nodes (postgres)', () => {
  it('signed in at one node is signed in at the other; signed out at either, at neither; a restarted node keeps it', async () => {
    const [a, b] = [await node(), await node()];
    const { session, cookie } = await signIn(a);
    expect((await db.pool.query('SELECT person FROM sessions WHERE key = $1', [session.id])).rows[0]?.person.name).toBe('lan'); // stored before the cookie was sent
    await until('node b to know the session', 10_000, () => b.fromRequest(browser(cookie))?.csrf === session.csrf);
    const restarted = await node();
    expect(restarted.fromRequest(browser(cookie))?.user.name).toBe('lan');
    b.close(browser(cookie), { header: () => {} } as unknown as FastifyReply);
    await until('node a to see the sign-out at node b', 10_000, () => a.fromRequest(browser(cookie)) === undefined);
    await until('the restarted node too', 10_000, () => restarted.fromRequest(browser(cookie)) === undefined);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM sessions WHERE key = $1', [session.id])).rows[0].n).toBe(0);
  });

  it('use at one node keeps the session alive at the other past the idle limit', async () => {
    const [a, b] = [await node(), await node()];
    const { cookie, session } = await signIn(a);
    for (let i = 0; i < 4; i++) {
      t += IDLE_MS / 2; // b never sees the browser; a does, every half idle period
      expect(a.fromRequest(browser(cookie))).toBeDefined();
      const seen = t;
      await until(
        'a to write the use and b to read it',
        10_000,
        async () =>
          (await db.pool.query('SELECT last_seen FROM sessions WHERE key = $1', [session.id])).rows[0]?.last_seen.getTime() === seen,
      );
    }
    // b's copy first catches up with the use a wrote (count() drops an expired copy locally, the next reload brings it
    // back): asked while two reloads behind — a busy box — b.fromRequest would end the session for every node.
    await until('b to know the latest use', 30_000, () => b.count() === 1);
    expect(b.fromRequest(browser(cookie))).toBeDefined();
    t += IDLE_MS + 1;
    expect(b.fromRequest(browser(cookie))).toBeUndefined(); // idle everywhere now: ended for every node
    await until('a to hear of it', 10_000, () => a.fromRequest(browser(cookie)) === undefined);
  });
  it('a sign-out the database refused at first is retried: the cookie never works again, at any node', async () => {
    const [a, b] = [await node(), await node()];
    const { cookie, session } = await signIn(a);
    await until('node b to know the session', 10_000, () => b.fromRequest(browser(cookie)) !== undefined);
    // the DELETE fails (as with a database that drops the connection); nextval counts the tries (never rolled back)
    await db.pool.query(`CREATE SEQUENCE delete_tries;
      CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('delete_tries'); RAISE EXCEPTION 'refused'; END $$;
      CREATE TRIGGER refuse_delete BEFORE DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION refuse_delete()`);
    try {
      a.close(browser(cookie), { header: () => {} } as unknown as FastifyReply);
      await until('the sign-out tried again', 20_000, async () => {
        const r = await db.pool.query<{ n: string }>('SELECT last_value AS n, is_called FROM delete_tries');
        return Number(r.rows[0]!.n) >= 3;
      });
      expect(a.fromRequest(browser(cookie))).toBeUndefined(); // the row still there is not taken back meanwhile
    } finally {
      await db.pool.query('DROP TRIGGER refuse_delete ON sessions; DROP FUNCTION refuse_delete(); DROP SEQUENCE delete_tries');
    }
    await until(
      'the row gone',
      20_000,
      async () => (await db.pool.query('SELECT 1 FROM sessions WHERE key = $1', [session.id])).rowCount === 0,
    );
    await until('node b to see the sign-out', 10_000, () => b.fromRequest(browser(cookie)) === undefined);
    expect(a.fromRequest(browser(cookie))).toBeUndefined();
  });
});
