import pg from 'pg';
import { AppError } from '../../errors.js';
import type { Logger } from '../../log.js';

// The hub's connection pool (node-postgres). A URL is never logged or shown with its password.
// A lost connection of an idle client is logged, not thrown: without the 'error' listener node-postgres'
// pool re-emits it and the process dies, and a database restart must cost a few 503s, not the hub.

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db` (also for messages that echo it). */
export function redactPgUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** The database could not be reached or dropped the connection: the API answers 503 and retries later. */
export class StoreUnavailableError extends AppError {
  /** Sent with the 503 (the error handler passes `headers` on): try again in a few seconds. */
  readonly headers = { 'retry-after': '5' };
  constructor(reason: string) {
    super(`cơ sở dữ liệu không truy cập được / the database is unreachable: ${reason}`, 503, 'STORE_UNAVAILABLE');
  }
}

// Connection exceptions (08), operator intervention (57: shutdown, cannot connect now), insufficient resources (53).
const UNAVAILABLE_SQLSTATE = /^(08|57P|53)/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/** Whether `err` says the database is down or unreachable (rather than refusing a statement). */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code && (UNAVAILABLE_ERRNO.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    e.message ?? '',
  );
}

/** Runs a database call; an unreachable database becomes StoreUnavailableError (503), other errors pass. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUnavailable(err)) throw new StoreUnavailableError((err as Error).message || (err as { code?: string }).code || 'unknown');
    throw err;
  }
}

export function createPgPool(url: string, logger: Logger, opts: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'database connection lost (idle client); the next query reconnects'));
  // The pool listens only to idle clients: a connection lost while checked out (a transaction between two
  // statements when the server restarts) would emit 'error' to nobody and end the process. Its holder
  // learns of it from its next statement; the pool drops it on release (not queryable any more).
  pool.on('connect', (client) =>
    client.on('error', (err) =>
      logger.warn({ err: err.message }, 'database connection lost (in use); its statement fails, the pool drops it'),
    ),
  );
  return pool;
}

/** Fails with a message naming the (redacted) URL when the database cannot be reached at start. */
export async function checkConnection(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    const e = err as Error & { code?: string };
    throw new Error(
      `không kết nối được cơ sở dữ liệu / cannot connect to the database ${redactPgUrl(url)}: ${e.message || e.code || String(err)}`,
    );
  }
}
