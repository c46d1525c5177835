import type { Logger } from '../../common/log.js';
import type { UpdateOffer, UpdateStatus } from '../../common/contracts/updates.js';
import { HUB_API, fillRoute } from '../../common/contracts/route.js';
import { UPDATE_ARCHIVE_ROUTE, UPDATE_RELEASE_ROUTE } from '../../common/contracts/updates.js';
import type { ReleaseLibrary } from './release-library.js';
import { openFileRolloutTargets, type RolloutTargets, type Target } from './rollout-targets.js';

// Which version each room should run (rollout-targets.ts: rollout.json or PostgreSQL), and what the room says of it. A room
// is offered its target in the answer to each report until it reports running that version, or says it
// refused or rolled it back (then not again: the technician decides — a new target or the same one set again).

export interface RoomRollout {
  room: string;
  target: Target | null;
  running: string | null;
  update: UpdateStatus | null;
  state: 'no-target' | 'up-to-date' | 'offered' | 'in-progress' | 'rolled-back' | 'refused' | 'failed';
}

export interface RolloutDeps {
  /** Where the targets are kept: PostgreSQL (rollout-targets-pg.ts) or, absent, `file` (rollout.json; none: memory). */
  targets?: RolloutTargets;
  file?: string;
  logger: Logger;
  library: ReleaseLibrary;
  /** What a room last reported, at any node (the shared fleet store); absent: the reports this node took. */
  reported?: (room: string) => { version: string; update?: UpdateStatus | null } | null | undefined;
}

export async function openRollout(o: RolloutDeps) {
  const targets = o.targets ?? (await openFileRolloutTargets({ file: o.file, logger: o.logger }));
  const seen = new Map<string, { running: string; update: UpdateStatus | null }>();
  const seenOf = (room: string) => {
    const r = o.reported?.(room);
    return r ? { running: r.version, update: r.update ?? null } : seen.get(room);
  };

  const stateOf = (room: string): RoomRollout => {
    const target = targets.get(room) ?? null;
    const s = seenOf(room);
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
      await targets.set({ version, setAt: now.toISOString(), by }, rooms);
    },
    async clear(rooms: string[]) {
      await targets.clear(rooms);
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
    flush: () => targets.flush(),
    close: () => targets.close(),
  };
}
export type Rollout = Awaited<ReturnType<typeof openRollout>>;
