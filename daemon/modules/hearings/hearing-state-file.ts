import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Type } from '@sinclair/typebox';
import { Hearing } from '../../../common/contracts/daemon-api/room.js';
import { openLowdbDocument } from '../../../common/storage/lowdb-document.js';
import type { Logger } from '../../../common/log.js';

// `<paths.state>/hearings.json`: the room's current hearing, so a daemon restart resumes it (and its
// recording). lowdb (steno) writes a temp file and renames it: a kill -9 leaves the old or the new
// document. An unreadable file is moved aside: a broken state file must not keep the room down.

const Doc = Type.Object({ version: Type.Literal(1), current: Type.Union([Hearing, Type.Null()]) });

export async function openHearingState(file: string, logger: Logger) {
  const { db } = await openLowdbDocument(
    file,
    Doc,
    () => ({ version: 1 as const, current: null }),
    logger,
    'hearing state file is corrupt: moved aside, no current hearing',
  );
  return {
    current: db.data.current ? { ...db.data.current } : null,
    async save(current: Hearing | null): Promise<void> {
      await mkdir(dirname(file), { recursive: true });
      db.data = { version: 1, current };
      await db.write();
    },
  };
}
