import { createHash, randomBytes } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session, SessionLookup, SignedInUser } from '../auth/identity.js';

// People's sessions at the hub: a random id in the `reception_session` cookie (httpOnly, SameSite=Strict,
// Path=/, Secure when the hub serves https; a browser-session cookie: closing the browser drops it), kept
// in memory by its SHA-256 (a hub restart signs everyone out), at most MAX_PER_PERSON per person. A session ends after 30 min without a request or 12 h after sign-in, whichever comes first, at
// sign-out, or when `stillValid` says so (a local account removed or its password changed). Each session
// has its own csrf token, which the console sends back in `x-csrf-token`. With the hub's PostgreSQL store
// (`share`, sessions-pg.ts) sessions are every node's and survive a restart.

export const SESSION_COOKIE = 'reception_session';
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 60 * 60_000;
/** Sessions one person may hold at once (browsers, tabs after sign-in); the oldest ends past it. */
export const MAX_PER_PERSON = 10;

export interface KeptSession {
  session: Session;
  startedAt: number;
  lastSeen: number;
}
type Kept = KeptSession;

/**
 * Sessions shared by several hub nodes (sessions-pg.ts): this node's map is kept in step with the
 * others' sign-ins and sign-outs; a new session is stored before its cookie is sent.
 */
export interface SessionSharing {
  open(key: string, k: KeptSession, ended: string[]): Promise<void>;
  end(keys: string[]): void;
  /** The session was used at `t` on this node (written in batches: the idle limit holds on every node). */
  touch(key: string, t: number): void;
  stop(): Promise<void>;
}

export interface SessionStoreDeps {
  now?: () => number;
  /** Asked on every use: the user as they are now (roles may have changed), or undefined to end the session. */
  stillValid?: (user: SignedInUser, startedAt: number) => SignedInUser | undefined;
  /** Several hub nodes: given this node's sessions by their key, keeps them in step with the others'. */
  share?: (kept: Map<string, KeptSession>, now: () => number) => SessionSharing;
}

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

export function createSessionStore(deps: SessionStoreDeps = {}) {
  const now = deps.now ?? Date.now;
  const kept = new Map<string, Kept>();
  const expiry = (k: Kept) => Math.min(k.lastSeen + IDLE_MS, k.startedAt + ABSOLUTE_MS);
  const sweep = () => {
    for (const [key, k] of kept) if (expiry(k) <= now()) kept.delete(key);
  };
  const timer = setInterval(sweep, 60_000);
  timer.unref();
  const shared = deps.share?.(kept, now);

  function lookup(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const key = digest(id);
    const k = kept.get(key);
    if (!k) return undefined;
    const alive = expiry(k) > now();
    const user = !alive ? undefined : deps.stillValid ? deps.stillValid(k.session.user, k.startedAt) : k.session.user;
    if (!user) {
      kept.delete(key);
      shared?.end([key]);
      return undefined;
    }
    k.lastSeen = now();
    shared?.touch(key, k.lastSeen);
    k.session.user = user;
    k.session.expiresAt = expiry(k);
    return k.session;
  }

  const cookieOf = (req: FastifyRequest) => {
    const header = req.headers.cookie;
    return header ? fastifyCookie.parse(header)[SESSION_COOKIE] : undefined;
  };

  const lookupApi: SessionLookup = { fromRequest: (req) => lookup(cookieOf(req)) };
  return {
    ...lookupApi,
    /** Opens a session and sets its cookie on `reply` (shared: once every node can find it). */
    async open(user: SignedInUser, req: FastifyRequest, reply: FastifyReply): Promise<Session> {
      const ended: string[] = [];
      const previous = cookieOf(req);
      if (previous) ended.push(digest(previous)); // signing in again replaces this browser's session
      const mine = [...kept].filter(
        ([key, k]) => k.session.user.name === user.name && k.session.user.via === user.via && !ended.includes(key),
      );
      for (const [key] of mine.slice(0, Math.max(0, mine.length - MAX_PER_PERSON + 1))) ended.push(key); // oldest first
      for (const key of ended) kept.delete(key);
      const id = randomBytes(32).toString('base64url');
      const t = now();
      const session: Session = { id: digest(id), user, csrf: randomBytes(24).toString('base64url'), expiresAt: t + IDLE_MS };
      const k = { session, startedAt: t, lastSeen: t };
      await shared?.open(digest(id), k, ended); // a database that fails: 503, no cookie
      kept.set(digest(id), k);
      reply.header('set-cookie', serialize(req, id)); // no Max-Age: closing the browser drops it too
      return session;
    },
    /** Ends the request's session (if any) and clears the cookie. */
    close(req: FastifyRequest, reply: FastifyReply): Session | undefined {
      const id = cookieOf(req);
      const k = id ? kept.get(digest(id)) : undefined;
      if (id) kept.delete(digest(id));
      if (id) shared?.end([digest(id)]);
      reply.header('set-cookie', serialize(req, '', 0));
      return k?.session;
    },
    /** Sessions open now (for tests and the console's who-is-on view). */
    count: () => (sweep(), kept.size),
    stop: async () => {
      clearInterval(timer);
      await shared?.stop();
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;

function serialize(req: FastifyRequest, value: string, maxAgeSeconds?: number): string {
  return fastifyCookie.serialize(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: req.protocol === 'https',
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}
