import { type Static, Type } from '@sinclair/typebox';
import type { Logger } from '../../common/log.js';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';

// The rollout's one stored aggregate: the release each room should run. Two backends: this file
// (<stateDir>/rollout.json, lowdb, one hub process) and rollout-targets-pg.ts (every node's). Reads are
// synchronous (a room's report is answered from them); writes resolve once stored.

export const Target = Type.Object({ version: Type.String(), setAt: Type.String(), by: Type.String() });
export type Target = Static<typeof Target>;
export const RolloutDocument = Type.Object({ version: Type.Literal(1), targets: Type.Record(Type.String(), Target) });

export interface RolloutTargets {
  /** Each room's target, as this node knows it now. */
  get(room: string): Target | undefined;
  all(): Record<string, Target>;
  /** The same target for these rooms (a new attempt each time: `setAt` is its id). */
  set(target: Target, rooms: string[]): Promise<void>;
  clear(rooms: string[]): Promise<void>;
  /** Resolves once every write so far is stored. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** No file: targets in memory only (tests, a hub without stateDir). */
export async function openFileRolloutTargets(o: { file?: string; logger: Logger }): Promise<RolloutTargets> {
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
  let writing = Promise.resolve();
  const persist = () => {
    if (!doc) return Promise.resolve();
    doc.db.data = { version: 1, targets: structuredClone(targets) };
    writing = writing.then(() => doc.db.write()); // serialized: the adapter's writes must not overlap
    return writing;
  };
  return {
    get: (room) => targets[room],
    all: () => structuredClone(targets),
    async set(target, rooms) {
      for (const room of rooms) targets[room] = { ...target };
      await persist();
    },
    async clear(rooms) {
      for (const room of rooms) delete targets[room];
      await persist();
    },
    flush: () => writing,
    close: () => writing,
  };
}
