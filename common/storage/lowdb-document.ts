import { existsSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Low, type Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Logger } from '../log.js';

// A small state document in one JSON file (lowdb/steno: temp file + rename, so a kill -9 leaves the
// old or the new document), checked against its TypeBox schema at open. A file that cannot be read
// back is moved aside to `<file>.corrupt-<time>` and the document starts empty: a broken state file
// must not keep a daemon or the hub down.

export interface LowdbDocument<T> {
  db: Low<T>;
  /** Where a corrupt file was moved, if it was. */
  corruptMovedTo?: string;
}

export async function openLowdbDocument<S extends TSchema>(
  file: string,
  schema: S,
  empty: () => Static<S>,
  logger: Logger,
  /** Logged (error) when the file is moved aside, e.g. 'hearing state file is corrupt: …'. */
  corruptMessage: string,
  /** File mode from the first byte (temp file created with it, then renamed), e.g. 0o600 for secrets. */
  opts: { mode?: number } = {},
): Promise<LowdbDocument<Static<S>>> {
  const adapter = opts.mode === undefined ? new JSONFile<Static<S>>(file) : new ModeJsonFile<Static<S>>(file, opts.mode);
  const db = new Low<Static<S>>(adapter, empty());
  if (!existsSync(file)) return { db };
  let problem: string | undefined;
  try {
    await db.read();
    if (!Value.Check(schema, db.data)) {
      const e = Value.Errors(schema, db.data).First();
      problem = `unexpected content at ${e?.path || '/'}: ${e?.message ?? 'does not match the schema'}`;
    }
  } catch (err) {
    problem = `not valid JSON: ${(err as Error).message}`;
  }
  if (!problem) return { db };
  const corruptMovedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, corruptMovedTo);
  logger.error({ file, movedTo: corruptMovedTo, problem }, corruptMessage);
  db.data = empty();
  return { db, corruptMovedTo };
}

/**
 * lowdb's JSONFile (steno) writes its temp file with the default mode (0644 under umask 022) and a fixed
 * name: a secret would be readable until a later chmod. This adapter creates a fresh temp file with
 * `mode` (O_EXCL, so an old or planted temp file is never reused), fsyncs it and renames it over the
 * document, so the document never exists with another mode. Writes must not overlap (callers serialize).
 */
class ModeJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly file: string,
    private readonly mode: number,
  ) {}

  async read(): Promise<T | null> {
    const text = await readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    return text === null ? null : (JSON.parse(text) as T);
  }

  async write(data: T): Promise<void> {
    const temp = join(dirname(this.file), `.${basename(this.file)}.tmp`);
    await rm(temp, { force: true });
    const handle = await open(temp, 'wx', this.mode);
    try {
      await handle.writeFile(JSON.stringify(data, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}
