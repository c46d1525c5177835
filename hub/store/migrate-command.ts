import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRootLogger } from '../../common/log.js';
import { redactPgUrl } from '../../common/storage/pg/pool.js';
import { loadHubConfig } from '../config/load-config.js';
import { openHubStore } from './hub-store.js';
import { type ImportCounts, importStateDir, importSummary } from './import-files.js';
import { readStateDir } from './import-read.js';

export const usage = `Usage: reception hub migrate [--store postgres://USER:PASSWORD@HOST/DB | --config FILE] [--import-files STATE_DIR [--archive-dir DIR]]

Cập nhật lược đồ cơ sở dữ liệu PostgreSQL của điểm trung tâm (hub/store/migrations), rồi thoát.
Apply the hub's PostgreSQL schema migrations (hub/store/migrations) and exit. Safe to run from several
nodes at once (an advisory lock), and safe to run again (applied versions are in schema_migrations).
The hub also migrates at start; run this ahead of a rollout, or with a user that may change the schema.

--import-files STATE_DIR: sau đó nhập trạng thái của một điểm trung tâm một máy (các tệp trong STATE_DIR) vào
cơ sở dữ liệu còn trống, trong một giao dịch. Then import a one-machine hub's state (hearings, book outbox,
remote operations, audit log, registry and codes, accounts, commissioning, rollout, fleet history, the archive's per-hearing indexes from <STATE_DIR>/archive or
--archive-dir) into the empty store, in one transaction; a store that already holds state is refused, naming what is there.

Exit 0: up to date (prints what was applied, and what was imported). Exit 1: unreachable database or a failed migration
(named, rolled back). Exit 2: no store given.
`;

export async function runMigrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'import-files': { type: 'string' },
      'archive-dir': { type: 'string' },
    },
  });
  const url = values.store ?? (await loadHubConfig(values.config)).store;
  if (!url) {
    process.stderr.write(`thiếu --store / no --store given and the config has no \`store\`\n${usage}`);
    return 2;
  }
  const logger = createRootLogger('hub', 'warn').child({ module: 'store' }); // stdout keeps the result line only
  try {
    const dir = values['import-files'];
    const archiveDir = values['archive-dir'] ? resolve(values['archive-dir']) : undefined; // archive.dir, when not <stateDir>/archive
    const content = dir ? await readStateDir(resolve(dir), logger, archiveDir) : undefined; // a bad file stops before the database is touched
    const store = await openHubStore(url, logger);
    let imported: ImportCounts | undefined;
    try {
      if (content) imported = await importStateDir(store.pool, content);
    } finally {
      await store.close();
    }
    const what = store.applied.length ? `applied ${store.applied.join(', ')}` : 'already up to date';
    process.stdout.write(
      `${JSON.stringify({ store: redactPgUrl(url), applied: store.applied, ...(imported ? { imported } : {}) })}\nĐÃ CẬP NHẬT / MIGRATED: ${what}\n`,
    );
    if (dir && imported) process.stdout.write(importSummary(resolve(dir), imported));
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}
