import { existsSync } from 'node:fs';
import type { ArchiveStore } from '../archive/archive-store.js';
import { createFsArchiveStore } from '../archive/fs-archive-store.js';
import { createIndexes, type HearingIndex } from '../archive/hearing-index.js';
import { s3ArchiveClient } from '../archive/s3-archive-open.js';
import { createS3ArchiveStore } from '../archive/s3-archive-store.js';
import type { S3ArchiveConfig } from '../archive/s3-config.js';
import { ImportError } from './import-read.js';

// Where a files-store hub keeps its archive's per-hearing indexes: `.index.json` beside the recordings, through
// the archive's store (hearing-index.ts) — in `archive.dir` (default <stateDir>/archive) on the filesystem, or as
// the object `<prefix><hearing>/.index.json` in the bucket of `archive.url s3://…`. A hub with a PostgreSQL store
// reads them from `archive_hearings` instead, so `migrate --import-files` must carry them over. Read-only: the
// bucket and the dir are left as they were (the recordings stay where they are).

export type ArchiveSource = { dir: string } | { url: string; s3: Partial<S3ArchiveConfig> };

export const describeSource = (s: ArchiveSource) => ('dir' in s ? s.dir : s.url);

/** Every hearing's index; an unreadable bucket or an index that is not one → ImportError naming the URL. */
export async function readArchiveIndexes(source: ArchiveSource): Promise<HearingIndex[]> {
  if ('dir' in source) return existsSync(source.dir) ? everyIndex(createFsArchiveStore(source.dir), source.dir) : [];
  const s3 = s3ArchiveClient(source); // url and credentials file were checked with the config (S3ConfigError names the field)
  if (!s3) return [];
  try {
    // The listing itself fails on an absent bucket or refused credentials: those never read as "no hearings".
    return await everyIndex(createS3ArchiveStore(s3), source.url);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    // The storage's own words, without the upload route's advice to rooms (StorageUnavailableError's message).
    const m = (err as Error).message;
    const why = /S3 archive storage unavailable \((.*)\), the room/.exec(m)?.[1] ?? m;
    throw new ImportError(
      `không đọc được kho lưu trữ S3 ${source.url}, không nhập gì / cannot read the S3 archive ${source.url}, nothing imported: ${why}`,
    );
  } finally {
    s3.client.destroy();
  }
}

async function everyIndex(store: ArchiveStore, where: string): Promise<HearingIndex[]> {
  const indexes = createIndexes(store);
  const out: HearingIndex[] = [];
  for (const hearing of await store.list()) {
    let i: HearingIndex | undefined;
    try {
      i = await indexes.load(hearing);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      i = { hearing: '' } as HearingIndex; // refused just below, naming it
    }
    if (!i) continue; // a hearing folder without an index: nothing was received into it
    if (i.hearing !== hearing || typeof i.room !== 'string' || typeof i.files !== 'object' || typeof i.createdAt !== 'string')
      throw new ImportError(
        `chỉ mục ${where}/${hearing}/.index.json không đúng định dạng / ${where}/${hearing}/.index.json is not an archive index: nothing imported`,
      );
    out.push(i);
  }
  return out;
}
