import { existsSync } from 'node:fs';
import { chmod, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Logger } from '../../common/log.js';
import { BookEntryView } from './schemas.js';

// Reception book entries made at the hub, as a lowdb document (`<stateDir>/book-outbox.json`,
// atomic temp + rename, mode 0600: it holds citizens' identities in clear — the hub has no book key;
// the sealed copy is the room's book.json). A file that cannot be read back is moved aside, as
// hearings.json is: the hub must come up.

const OutboxDocument = Type.Object({ version: Type.Literal(1), entries: Type.Array(BookEntryView) });
type OutboxDocument = Static<typeof OutboxDocument>;

export async function openBookOutbox(file: string, logger: Logger) {
  const db = new Low<OutboxDocument>(new JSONFile<OutboxDocument>(file), { version: 1, entries: [] });
  if (existsSync(file)) {
    let problem: string | undefined;
    try {
      await db.read();
      if (!Value.Check(OutboxDocument, db.data)) problem = `unexpected content at ${Value.Errors(OutboxDocument, db.data).First()?.path || '/'}`;
    } catch (err) {
      problem = `not valid JSON: ${(err as Error).message}`;
    }
    if (problem) {
      const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, movedTo);
      logger.error({ file, movedTo, problem }, 'BOOK OUTBOX FILE IS CORRUPT: moved aside, starting with no pending book entries');
      db.data = { version: 1, entries: [] };
    }
  }
  const entries = structuredClone(db.data.entries);
  logger.info({ file, entries: entries.length, pending: entries.filter((e) => e.state === 'pending').length }, 'book outbox loaded');
  let dirReady = false;
  return {
    entries,
    async save(list: OutboxDocument['entries']) {
      if (!dirReady) await mkdir(dirname(file), { recursive: true });
      dirReady = true;
      db.data = { version: 1, entries: structuredClone(list) };
      await db.write();
      await chmod(file, 0o600);
    },
  };
}
