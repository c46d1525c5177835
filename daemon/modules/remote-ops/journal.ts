import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { OpResult } from '../../../common/contracts/fleet-ops.js';
import type { Logger } from '../../../common/log.js';
import { openLowdbDocument } from '../../../common/storage/lowdb-document.js';

// Which operations this room has taken and where each stands, in `<paths.state>/remote-ops.json` (lowdb,
// atomic): the hub hands an op over with every report until its result arrives, so the journal makes each
// op run once — across restarts too (a restart op is finished by the daemon it started). A result stays
// `sent: false` until a report carrying it was accepted.

const Entry = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  /** running: being done; trial: a config on trial (the restart is under way); restarting: a restart asked; done: result below. */
  state: Type.Union([Type.Literal('running'), Type.Literal('trial'), Type.Literal('restarting'), Type.Literal('done')]),
  at: Type.String(),
  result: Type.Optional(OpResult),
  sent: Type.Boolean(),
});
type Entry = Static<typeof Entry>;
const Doc = Type.Object({ version: Type.Literal(1), entries: Type.Array(Entry) });
const KEEP = 200;

export async function openJournal(stateDir: string, logger: Logger) {
  const { db } = await openLowdbDocument(
    join(stateDir, 'remote-ops.json'),
    Doc,
    () => ({ version: 1 as const, entries: [] }),
    logger,
    'remote-ops journal is corrupt: moved aside (an op the hub hands over again may run again)',
  );
  const entries = db.data.entries;
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    const done = entries.filter((e) => e.state === 'done' && e.sent);
    for (const old of done.slice(0, Math.max(0, done.length - KEEP))) entries.splice(entries.indexOf(old), 1);
    saving = saving.then(() => db.write());
    return saving;
  };
  const find = (id: string) => entries.find((e) => e.id === id);
  return {
    has: (id: string) => !!find(id),
    inState: (state: Entry['state']) => entries.filter((e) => e.state === state),
    async mark(id: string, kind: string, state: Exclude<Entry['state'], 'done'>) {
      const e = find(id);
      if (e) Object.assign(e, { state, at: new Date().toISOString() });
      else entries.push({ id, kind, state, at: new Date().toISOString(), sent: false });
      await save();
    },
    async finish(id: string, kind: string, result: Omit<OpResult, 'id'>) {
      const e = find(id) ?? { id, kind, state: 'done' as const, at: result.at, sent: false };
      if (!find(id)) entries.push(e);
      Object.assign(e, { state: 'done', result: { id, ...result, reason: result.reason?.slice(0, 1000) }, sent: false });
      await save();
    },
    unsent: (): OpResult[] => entries.filter((e) => e.state === 'done' && !e.sent && e.result).map((e) => e.result!),
    async sent(ids: string[]) {
      for (const id of ids) {
        const e = find(id);
        if (e) e.sent = true;
      }
      if (ids.length) await save();
    },
    view: () => structuredClone(entries),
  };
}
export type Journal = Awaited<ReturnType<typeof openJournal>>;
