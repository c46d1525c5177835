import type { RoomRegistry } from '../enrollment/registry-contract.js';
import type { Indexes } from './hearing-index.js';

// The archive's listing without re-verifying every hearing each time: a hearing's line (its verification
// summary) is kept until its index changes — its `version` in PostgreSQL, shared by the nodes, or a save
// through this process — or the registry changes (a key's validity decides verification). Verification
// reads no clock, so nothing else can change a line. A line computed while an upload saved is not kept.

export function createIndexListing<E>(base: Indexes, registry: Pick<RoomRegistry, 'events'> | undefined) {
  const cache = new Map<string, { stamp: string; entry: E }>();
  const generation = new Map<string, number>(); // bumped by each save: a line computed across one is stale
  const gen = (h: string) => generation.get(h) ?? 0;
  registry?.events.on('changed', () => cache.clear());
  const indexes: Indexes = {
    ...base,
    async save(index) {
      await base.save(index);
      generation.set(index.hearing, gen(index.hearing) + 1);
      cache.delete(index.hearing);
    },
  };
  return {
    /** The indexes the archive writes through (each save drops that hearing's line). */
    indexes,
    /** Every indexed hearing's line, `line(hearing)` computed only for the new or changed. */
    async list(line: (hearing: string) => Promise<E | undefined>): Promise<E[]> {
      const out: E[] = [];
      for (const s of await base.list()) {
        const stamp = `${s.version ?? ''}|${s.files}|${s.bytes}`;
        const hit = cache.get(s.hearing);
        if (hit?.stamp === stamp) {
          out.push(hit.entry);
          continue;
        }
        const before = gen(s.hearing);
        const entry = await line(s.hearing);
        if (!entry) continue;
        if (gen(s.hearing) === before) cache.set(s.hearing, { stamp, entry });
        out.push(entry);
      }
      return out;
    },
  };
}
