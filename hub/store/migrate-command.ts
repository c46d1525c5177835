import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRootLogger } from '../../common/log.js';
import { redactPgUrl } from '../../common/storage/pg/pool.js';
import { loadHubConfig } from '../config/load-config.js';
import { openHubStore } from './hub-store.js';
import { type ArchiveSource, describeSource } from './import-archive.js';
import { type ImportCounts, importStateDir, importSummary } from './import-files.js';
import { readStateDir } from './import-read.js';

export const usage = `Usage: reception hub migrate [--store postgres://USER:PASSWORD@HOST/DB | --config FILE] [--import-files STATE_DIR [--archive-dir DIR | --archive s3://BUCKET/PREFIX]]

Cập nhật lược đồ cơ sở dữ liệu PostgreSQL của điểm trung tâm (hub/store/migrations), rồi thoát.
Apply the hub's PostgreSQL schema migrations (hub/store/migrations) and exit. Safe to run from several
nodes at once (an advisory lock), and safe to run again (applied versions are in schema_migrations).
The hub also migrates at start; run this ahead of a rollout, or with a user that may change the schema.

--import-files STATE_DIR: sau đó nhập trạng thái của một điểm trung tâm một máy (các tệp trong STATE_DIR) vào
cơ sở dữ liệu còn trống, trong một giao dịch. Then import a one-machine hub's state (hearings, book outbox,
remote operations, audit log, registry and codes, accounts, commissioning, rollout, fleet history, the archive's per-hearing indexes from <STATE_DIR>/archive or
--archive-dir) into the empty store, in one transaction; a store that already holds state is refused, naming what is there.
Kho lưu trữ S3 / an archive in S3 (archive.url s3://… in --config FILE, or --archive s3://BUCKET/PREFIX as for
\`reception hub\`, with archive.s3.* from --config): the indexes are read from the bucket (<PREFIX>/<hearing>/.index.json,
left there); an unreachable bucket stops the import naming the URL, before the database is touched.

Exit 0: up to date (prints what was applied, and what was imported). Exit 1: unreachable database or a failed migration
(named, rolled back), a state file or an archive (bucket) that cannot be read (named; nothing imported). Exit 2: no store
given, or --archive-dir with an S3 archive.
`;

export async function runMigrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'import-files': { type: 'string' },
      'archive-dir': { type: 'string' },
      archive: { type: 'string' },
    },
  });
  // The config only when asked for (or for --archive: its archive.s3.*): with --store alone nothing else is read.
  const config =
    values.config || values.archive ? await loadHubConfig(values.config, { store: values.store, archive: values.archive }) : undefined;
  const url = values.store ?? config?.store;
  const s3Url = config?.archive.url ?? '';
  if (s3Url && values['archive-dir']) {
    process.stderr.write(`--archive-dir là cho kho trên đĩa / --archive-dir is for a filesystem archive, this one is ${s3Url}\n${usage}`);
    return 2;
  }
  if (!url) {
    process.stderr.write(`thiếu --store / no --store given and the config has no \`store\`\n${usage}`);
    return 2;
  }
  const logger = createRootLogger('hub', 'warn').child({ module: 'store' }); // stdout keeps the result line only
  try {
    const dir = values['import-files'];
    const fsDir = values['archive-dir'] || config?.archive.dir; // archive.dir, when not <stateDir>/archive
    const archive: ArchiveSource | undefined = !dir
      ? undefined
      : s3Url
        ? { url: s3Url, s3: config!.archive.s3 }
        : { dir: fsDir ? resolve(fsDir) : join(resolve(dir), 'archive') };
    const content = dir ? await readStateDir(resolve(dir), logger, archive) : undefined; // a bad file or bucket stops before the database is touched
    const store = await openHubStore(url, logger);
    let imported: ImportCounts | undefined;
    try {
      if (content) imported = await importStateDir(store.pool, content);
    } finally {
      await store.close();
    }
    const what = store.applied.length ? `applied ${store.applied.join(', ')}` : 'already up to date';
    process.stdout.write(
      `${JSON.stringify({ store: redactPgUrl(url), applied: store.applied, ...(imported ? { imported, archiveIndexesFrom: describeSource(archive!) } : {}) })}\nĐÃ CẬP NHẬT / MIGRATED: ${what}\n`,
    );
    if (dir && imported) process.stdout.write(importSummary(resolve(dir), imported));
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}
