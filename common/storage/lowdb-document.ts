import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Low } from 'lowdb';
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
): Promise<LowdbDocument<Static<S>>> {
  const db = new Low<Static<S>>(new JSONFile<Static<S>>(file), empty());
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
