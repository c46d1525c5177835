import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Type } from '@sinclair/typebox';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import type { Logger } from '../../common/log.js';
import { HEARING_STATES, type Hearing, type SavedHearing } from './hearing-store.js';

// The hearings as a lowdb document (`<stateDir>/hearings.json`). lowdb's writer (steno) writes a
// temp file and renames it over the old one, and queues writes, so a kill -9 leaves either the old
// or the new document, never half of one. A file that cannot be read back is moved aside: a broken
// state file must not keep the central hub down.

const HearingRecord = Type.Object({
  id: Type.String({ minLength: 1 }),
  title: Type.String(),
  rooms: Type.Array(Type.String()),
  history: Type.Optional(
    Type.Array(Type.Object({ room: Type.String(), joinedAt: Type.String(), leftAt: Type.Optional(Type.String()) }), {
      description: 'every room that took part (absent in files written before it existed)',
    }),
  ),
  state: Type.Union(HEARING_STATES.map((s) => Type.Literal(s))),
  createdAt: Type.String(),
  endedAt: Type.Optional(Type.String()),
});
const HearingDocument = Type.Object({ version: Type.Literal(1), hearings: Type.Array(HearingRecord) });

export interface HearingFile {
  /** What the file held at open (empty for a new or corrupt file). */
  hearings: SavedHearing[];
  /** Where a corrupt file was moved, if it was. */
  corruptMovedTo?: string;
  /** Writes the whole list (atomically; later calls supersede queued ones). */
  save(hearings: Hearing[]): Promise<void>;
}

export async function openHearingFile(file: string, logger: Logger): Promise<HearingFile> {
  const { db, corruptMovedTo } = await openLowdbDocument(
    file,
    HearingDocument,
    () => ({ version: 1 as const, hearings: [] }),
    logger,
    'HEARING STATE FILE IS CORRUPT: moved aside, starting with no hearings',
  );
  const hearings = structuredClone(db.data.hearings) as SavedHearing[];
  logger.info({ file, hearings: hearings.length, active: hearings.filter((h) => h.state === 'active').length }, 'hearings loaded');
  let dirReady = false;
  return {
    hearings,
    corruptMovedTo,
    async save(list) {
      // Created on the first write, so a hub that never changes a hearing leaves no trace.
      if (!dirReady) await mkdir(dirname(file), { recursive: true });
      dirReady = true;
      db.data = { version: 1, hearings: structuredClone(list) };
      await db.write();
    },
  };
}
