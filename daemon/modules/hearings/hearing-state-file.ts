import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Logger } from '../../../common/log.js';

// `<paths.state>/hearings.json`: the room's current hearing, so a daemon restart resumes it (and its
// recording). lowdb (steno) writes a temp file and renames it: a kill -9 leaves the old or the new
// document. An unreadable file is moved aside: a broken state file must not keep the room down.

export const HEARING_SOURCES = ['hub', 'local'] as const;
export const Hearing = Type.Object({
  id: Type.String({ minLength: 1, description: 'hub hearing id, or local-<time> for a hearing started in the room' }),
  title: Type.String(),
  source: Type.Union(HEARING_SOURCES.map((s) => Type.Literal(s)), { description: 'hub: reported by the connected gateway; local: started in the room' }),
  startedAt: Type.String({ description: 'ISO time the room started it' }),
});
export type Hearing = Static<typeof Hearing>;

const Doc = Type.Object({ version: Type.Literal(1), current: Type.Union([Hearing, Type.Null()]) });
type Doc = Static<typeof Doc>;

export async function openHearingState(file: string, logger: Logger) {
  const db = new Low<Doc>(new JSONFile<Doc>(file), { version: 1, current: null });
  if (existsSync(file)) {
    let problem: string | undefined;
    try {
      await db.read();
      if (!Value.Check(Doc, db.data)) problem = `unexpected content at ${Value.Errors(Doc, db.data).First()?.path || '/'}`;
    } catch (err) {
      problem = `not valid JSON: ${(err as Error).message}`;
    }
    if (problem) {
      const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, movedTo);
      logger.error({ file, movedTo, problem }, 'hearing state file is corrupt: moved aside, no current hearing');
      db.data = { version: 1, current: null };
    }
  }
  return {
    current: db.data.current ? { ...db.data.current } : null,
    async save(current: Hearing | null): Promise<void> {
      await mkdir(dirname(file), { recursive: true });
      db.data = { version: 1, current };
      await db.write();
    },
  };
}
