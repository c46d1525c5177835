// Benchmark: the archive's listing of N hearings from its indexes — in PostgreSQL (003_archive_index.sql,
// one indexed query) and beside the files (one .index.json read per hearing), on this box. A throw-away
// PostgreSQL cluster (tests/helpers/postgres.ts) holds N hearings of `--files` segments each.
// Usage: npx tsx bench/archive-listing.ts [--hearings 10000] [--files 30] [--runs 7] [--fs]
// Also the archive's own list() (GET /api/v1/archive) over the PostgreSQL indexes: its first listing verifies
// every hearing and keeps each line in the index (004_archive_listing_line.sql); then a restarted hub's first
// listing (a new pool and archive: what a new process or another node does) reads those lines instead.
// With --fs the same for the indexes beside the files (.index.json + .listing.json per hearing). The restart
// runs twice: in this process (a new pool) and in a new process (`--list-from URL DIR`: cold JIT, cold pool).
// Prints one JSON line: the median and worst of the runs (ms) per backend. Figures: docs/PERFORMANCE.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../common/log.js';
import { createArchive } from '../hub/archive/create-archive.js';
import { createFsArchiveStore } from '../hub/archive/fs-archive-store.js';
import { createIndexes, type HearingIndex, type Indexes } from '../hub/archive/hearing-index.js';
import { createPgIndexes } from '../hub/archive/hearing-index-pg.js';
import { newHearingId } from '../hub/hearings/hearing-id.js';
import { openHubStore } from '../hub/store/hub-store.js';
import { startPostgres } from '../tests/helpers/postgres.js';

const { values } = parseArgs({
  options: {
    hearings: { type: 'string', default: '10000' },
    files: { type: 'string', default: '30' },
    runs: { type: 'string', default: '7' },
    fs: { type: 'boolean', default: false },
    'list-from': { type: 'string' },
  },
  allowPositionals: true,
});
const N = Number(values.hearings);
const FILES = Number(values.files);
const RUNS = Number(values.runs);

function sample(i: number): HearingIndex {
  const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const hearing = `${newHearingId()}.room-${i % 200}`;
  const files: HearingIndex['files'] = {};
  for (let f = 0; f < FILES; f++)
    files[`seg-${String(f).padStart(5, '0')}.ts`] = {
      sha256: 'ab'.repeat(32),
      bytes: 650_000,
      receivedAt: createdAt,
      receipt: {
        v: 1,
        hearing,
        file: `seg-${f}`,
        sha256: 'ab'.repeat(32),
        bytes: 650_000,
        receivedAt: createdAt,
        sig: 'x'.repeat(88),
      } as never,
    };
  return { v: 1, hearing, room: `room-${i % 200}`, createdAt, files, uploads: {} };
}

async function time(indexes: Indexes): Promise<{ medianMs: number; maxMs: number; listed: number }> {
  const ms: number[] = [];
  let listed = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    listed = (await indexes.list()).length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10, maxMs: Math.round(ms.at(-1)! * 10) / 10, listed };
}

/** A hub's archive (re)started over `indexes`: its first listing, then the median and worst of RUNS more. */
async function firstThenRest(dir: string, indexes: Indexes) {
  const archive = createArchive({
    dir,
    keyFile: join(dir, 'keys', 'hub.pem'),
    maxChunkBytes: 1 << 20,
    roomQuotaBytes: 1 << 30,
    logger: silentLogger(),
    hearings: { tookPart: () => true },
    registry: undefined,
    indexes,
  });
  await archive.start();
  const t0 = performance.now();
  const listed = (await archive.list()).length;
  const firstMs = Math.round(performance.now() - t0);
  return { firstMs, ...(await time({ list: () => archive.list() } as unknown as Indexes)), listed };
}

async function main() {
  const cluster = await startPostgres();
  const out: Record<string, unknown> = { hearings: N, filesEach: FILES, runs: RUNS };
  try {
    const url = await cluster.createDatabase();
    const store = await openHubStore(url, silentLogger());
    const pg = createPgIndexes(store.pool);
    const docs = Array.from({ length: N }, (_, i) => sample(i));
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += 200) await Promise.all(docs.slice(i, i + 200).map((d) => pg.save(d)));
    out.pgFillMs = Math.round(performance.now() - t0);
    out.postgres = await time(pg);
    // What GET /api/v1/archive runs: the archive's list() over these indexes (each line verified once, then kept).
    const dir = mkdtempSync(join(tmpdir(), 'bench-archive-'));
    out.archiveCold = await firstThenRest(dir, createPgIndexes(store.pool)); // verifies each hearing, keeps the lines
    const restarted = await openHubStore(url, silentLogger()); // a new pool: nothing of the first one's memory
    out.archiveAfterRestart = await firstThenRest(dir, createPgIndexes(restarted.pool));
    const child = execFileSync('npx', ['tsx', import.meta.filename, '--runs', String(RUNS), '--list-from', url, dir], { encoding: 'utf8' });
    out.archiveNewProcess = JSON.parse(child.trim().split('\n').at(-1)!);
    rmSync(dir, { recursive: true, force: true });
    await restarted.close();
    await store.close();
    if (values.fs) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-index-'));
      const fill = createIndexes(createFsArchiveStore(dir));
      for (let i = 0; i < docs.length; i += 200) await Promise.all(docs.slice(i, i + 200).map((d) => fill.save(d)));
      out.files = await time(createIndexes(createFsArchiveStore(dir))); // a fresh process's view: no cache yet on the first run
      out.filesArchiveCold = await firstThenRest(dir, createIndexes(createFsArchiveStore(dir))); // verifies, keeps the lines
      out.filesArchiveAfterRestart = await firstThenRest(dir, createIndexes(createFsArchiveStore(dir)));
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await cluster.remove();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (values['list-from']) {
  // The child: a hub process started on the database, its first listing and RUNS more.
  const store = await openHubStore(values['list-from'], silentLogger());
  const timed = await firstThenRest(process.argv.at(-1)!, createPgIndexes(store.pool));
  await store.close();
  process.stdout.write(`${JSON.stringify(timed)}\n`);
} else await main();
