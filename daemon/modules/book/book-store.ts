import { open, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidRequestError, NotFoundError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import {
  HEARING_ID_PATTERN,
  openBook,
  sealBook,
  serializeBook,
  sha256Hex,
  type BookInput,
  type BookRecord,
  type ManifestWriter,
  type RedactedBook,
  type StoredBook,
} from '../../../common/evidence/index.js';

// The reception book record of a hearing: `<recordings>/<hearing>/book.json`, sealed (denouncers'
// identities encrypted). Every write is anchored in the hearing's manifest by a `book` entry.

export const BOOK_FILE = 'book.json';
const HEARING = new RegExp(HEARING_ID_PATTERN);

export interface BookStoreDeps {
  recordingsDir: string;
  bookKey: () => Buffer;
  manifest: ManifestWriter;
  logger: Logger;
  now?: () => Date;
}

export interface BookStore {
  /** Creates or replaces the record; resolves once book.json and its manifest entry are on disk. */
  put(hearing: string, input: BookInput): Promise<{ record: BookRecord; sha256: string }>;
  /** The record with the citizen decrypted, or redacted when `withIdentity` is false. */
  get(hearing: string, withIdentity: boolean): Promise<BookRecord | RedactedBook>;
  /** The record as stored (citizen decrypted) and the SHA-256 of book.json; null when there is none. */
  current(hearing: string): Promise<{ record: BookRecord; sha256: string } | null>;
}

export function createBookStore(deps: BookStoreDeps): BookStore {
  const now = deps.now ?? (() => new Date());
  const queues = new Map<string, Promise<unknown>>();
  const dirOf = (hearing: string) => {
    if (!HEARING.test(hearing)) throw new InvalidRequestError('params.hearing', `must match ${HEARING_ID_PATTERN}`);
    return join(deps.recordingsDir, hearing);
  };

  async function write(hearing: string, input: BookInput) {
    const dir = dirOf(hearing);
    // The schema checks the shape; a well-shaped impossible date (month 13) is caught here.
    if (!Number.isFinite(Date.parse(input.receivedAt))) throw new InvalidRequestError('body.receivedAt', 'not a real date and time');
    const record: BookRecord = { ...input, updatedAt: now().toISOString() };
    const bytes = serializeBook(sealBook(record, deps.bookKey()));
    const sha256 = sha256Hex(bytes);
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const tmp = join(dir, `.${BOOK_FILE}.tmp`);
    try {
      const fh = await open(tmp, 'w', 0o640);
      await fh
        .writeFile(bytes)
        .then(() => fh.sync())
        .finally(() => fh.close());
      // Entry before rename: if the manifest refuses (hearing closed), book.json stays as it was.
      await deps.manifest.append(hearing, { kind: 'book', file: BOOK_FILE, sha256 });
      await rename(tmp, join(dir, BOOK_FILE));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    deps.logger.info({ hearing, classification: record.classification, sha256 }, 'reception book written');
    return { record, sha256 };
  }

  return {
    put(hearing, input) {
      // One write at a time per hearing, so the newest manifest entry always matches book.json.
      const next = (queues.get(hearing) ?? Promise.resolve()).catch(() => undefined).then(() => write(hearing, input));
      queues.set(hearing, next);
      next.catch(() => undefined).finally(() => queues.get(hearing) === next && queues.delete(hearing));
      return next;
    },
    async current(hearing) {
      const bytes = await readFile(join(dirOf(hearing), BOOK_FILE)).catch((err: NodeJS.ErrnoException) =>
        err.code === 'ENOENT' ? null : Promise.reject(err),
      );
      if (!bytes) return null;
      return { record: openBook(JSON.parse(bytes.toString('utf8')) as StoredBook, deps.bookKey()) as BookRecord, sha256: sha256Hex(bytes) };
    },
    async get(hearing, withIdentity) {
      const text = await readFile(join(dirOf(hearing), BOOK_FILE), 'utf8').catch((err: NodeJS.ErrnoException) =>
        err.code === 'ENOENT' ? Promise.reject(new NotFoundError(`hearing ${hearing} has no reception book`)) : Promise.reject(err),
      );
      return openBook(JSON.parse(text) as StoredBook, withIdentity ? deps.bookKey() : null);
    },
  };
}
