import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { checkConnection, createPgPool, redactPgUrl } from '../../common/storage/pg/pool.js';
import { migrate } from '../../common/storage/pg/migrate.js';
import type { Logger } from '../../common/log.js';

// The hub's PostgreSQL state (config `store`, `--store`): one pool per process, checked and migrated at
// start. Migrating at start is safe with several nodes (the runner takes an advisory lock; the second
// node waits and finds nothing left to do); `reception hub migrate` does the same ahead of a rollout.

/** The SQL migrations: beside this file in the sources, or back in the sources from dist/. */
export function migrationsDir(): string {
  const candidates = ['./migrations/', '../../../hub/store/migrations/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((d) => existsSync(d)) ?? candidates[0]!;
}

/** The store could not be opened at start (unreachable, refused, a failed migration): exit 1 with this message. */
export class HubStoreError extends Error {
  override name = 'HubStoreError';
}

export interface HubStore {
  url: string;
  pool: pg.Pool;
  /** Migrations applied by this start (empty: the schema was up to date). */
  applied: string[];
  close(): Promise<void>;
}

/** Connects (a clear error naming the redacted URL when it cannot), migrates, returns the pool. */
export async function openHubStore(url: string, logger: Logger): Promise<HubStore> {
  const pool = createPgPool(url, logger);
  try {
    await checkConnection(pool, url);
    const applied = await migrate(pool, migrationsDir());
    logger.info({ store: redactPgUrl(url), applied }, applied.length ? 'database schema migrated' : 'database schema up to date');
    return { url, pool, applied, close: () => pool.end() };
  } catch (err) {
    await pool.end().catch(() => {});
    throw new HubStoreError((err as Error).message, { cause: err });
  }
}
