import { chmod, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import type { Logger } from '../../common/log.js';
import { BookEntryView } from './schemas.js';

// Reception book entries made at the hub, as a lowdb document (`<stateDir>/book-outbox.json`,
// atomic temp + rename, mode 0600 from the temp file's creation, never chmod after the bytes are
// written: it holds citizens' identities in clear — the hub has no book key; the sealed copy is the
// room's book.json). A file that cannot be read back is moved aside, as
// hearings.json is: the hub must come up.

const OutboxDocument = Type.Object({ version: Type.Literal(1), entries: Type.Array(BookEntryView) });
type OutboxDocument = Static<typeof OutboxDocument>;

export async function openBookOutbox(file: string, logger: Logger) {
  const { db } = await openLowdbDocument(
    file,
    OutboxDocument,
    () => ({ version: 1 as const, entries: [] }),
    logger,
    'BOOK OUTBOX FILE IS CORRUPT: moved aside, starting with no pending book entries',
    { mode: 0o600 },
  );
  if (existsSync(file)) await chmod(file, 0o600); // a file an older hub left 0644
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
    },
  };
}
