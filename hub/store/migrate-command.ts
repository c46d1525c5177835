import { parseArgs } from 'node:util';
import { createRootLogger } from '../../common/log.js';
import { redactPgUrl } from '../../common/storage/pg/pool.js';
import { loadHubConfig } from '../config/load-config.js';
import { openHubStore } from './hub-store.js';

export const usage = `Usage: reception hub migrate [--store postgres://USER:PASSWORD@HOST/DB | --config FILE]

Cập nhật lược đồ cơ sở dữ liệu PostgreSQL của điểm trung tâm (hub/store/migrations), rồi thoát.
Apply the hub's PostgreSQL schema migrations (hub/store/migrations) and exit. Safe to run from several
nodes at once (an advisory lock), and safe to run again (applied versions are in schema_migrations).
The hub also migrates at start; run this ahead of a rollout, or with a user that may change the schema.

Exit 0: up to date (prints what was applied). Exit 1: unreachable database or a failed migration
(named, rolled back). Exit 2: no store given.
`;

export async function runMigrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { store: { type: 'string' }, config: { type: 'string', short: 'c' } } });
  const url = values.store ?? (await loadHubConfig(values.config)).store;
  if (!url) {
    process.stderr.write(`thiếu --store / no --store given and the config has no \`store\`\n${usage}`);
    return 2;
  }
  const logger = createRootLogger('hub', 'warn').child({ module: 'store' }); // stdout keeps the result line only
  try {
    const store = await openHubStore(url, logger);
    await store.close();
    const what = store.applied.length ? `applied ${store.applied.join(', ')}` : 'already up to date';
    process.stdout.write(`${JSON.stringify({ store: redactPgUrl(url), applied: store.applied })}\nĐÃ CẬP NHẬT / MIGRATED: ${what}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}
