import { type Static, Type } from '@sinclair/typebox';
import type { Logger } from '../../common/log.js';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import type { UpdateOffer, UpdateStatus } from '../../common/contracts/updates.js';
import { HUB_API, fillRoute } from '../../common/contracts/route.js';
import { UPDATE_ARCHIVE_ROUTE, UPDATE_RELEASE_ROUTE } from '../../common/contracts/updates.js';
import type { ReleaseLibrary } from './release-library.js';

// Which version each room should run (<stateDir>/rollout.json, lowdb), and what the room says of it. A room
// is offered its target in the answer to each report until it reports running that version, or says it
// refused or rolled it back (then not again: the technician decides — a new target or the same one set again).

const Target = Type.Object({ version: Type.String(), setAt: Type.String(), by: Type.String() });
const RolloutDocument = Type.Object({ version: Type.Literal(1), targets: Type.Record(Type.String(), Target) });
type Target = Static<typeof Target>;

export interface RoomRollout {
  room: string;
  target: Target | null;
  running: string | null;
  update: UpdateStatus | null;
  state: 'no-target' | 'up-to-date' | 'offered' | 'in-progress' | 'rolled-back' | 'refused' | 'failed';
}

export async function openRollout(o: { file?: string; logger: Logger; library: ReleaseLibrary }) {
  const doc = o.file
    ? await openLowdbDocument(
        o.file,
        RolloutDocument,
        () => ({ version: 1 as const, targets: {} }),
        o.logger,
        'ROLLOUT FILE IS CORRUPT: moved aside, no targets',
      )
    : undefined;
  const targets: Record<string, Target> = structuredClone(doc?.db.data.targets ?? {});
  const seen = new Map<string, { running: string; update: UpdateStatus | null }>();
  let writing = Promise.resolve();
  const persist = () => {
    if (!doc) return Promise.resolve();
    doc.db.data = { version: 1, targets: structuredClone(targets) };
    writing = writing.then(() => doc.db.write()); // serialized: the adapter's writes must not overlap
    return writing;
  };

  const stateOf = (room: string): RoomRollout => {
    const target = targets[room] ?? null;
    const s = seen.get(room);
    const base = { room, target, running: s?.running ?? null, update: s?.update ?? null };
    if (!target) return { ...base, state: 'no-target' };
    if (s?.running === target.version) return { ...base, state: 'up-to-date' };
    const u = s?.update?.version === target.version && s.update.attempt === target.setAt ? s.update : null; // this attempt's
    if (u?.state === 'rolled-back' || u?.state === 'refused' || u?.state === 'failed') return { ...base, state: u.state };
    if (u) return { ...base, state: 'in-progress' };
    return { ...base, state: 'offered' };
  };

  return {
    async set(version: string, rooms: string[], by: string, now = new Date()) {
      // A new attempt each time: setting a target again asks a room that refused or rolled it back to try once more.
      for (const room of rooms) targets[room] = { version, setAt: now.toISOString(), by };
      await persist();
    },
    async clear(rooms: string[]) {
      for (const room of rooms) delete targets[room];
      await persist();
    },
    /** Each report: what the room runs and says; the answer's offer, if any. */
    offer(room: string, running: string, update: UpdateStatus | null | undefined): UpdateOffer | undefined {
      seen.set(room, { running, update: update ?? null }); // a room says its last update's status in every report
      const st = stateOf(room);
      if (st.state !== 'offered' && st.state !== 'in-progress') return undefined;
      const files = o.library.files(st.target!.version);
      if (!files) return undefined; // archive not uploaded (yet)
      const version = st.target!.version;
      return {
        version,
        releasePath: `${HUB_API}${fillRoute(UPDATE_RELEASE_ROUTE, { version })}`,
        archivePath: `${HUB_API}${fillRoute(UPDATE_ARCHIVE_ROUTE, { version })}`,
        bytes: files.bytes,
        attempt: st.target!.setAt,
      };
    },
    view(rooms: string[]): RoomRollout[] {
      return rooms.map(stateOf);
    },
    flush: () => writing,
  };
}
export type Rollout = Awaited<ReturnType<typeof openRollout>>;
