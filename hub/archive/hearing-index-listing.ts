import { createHash } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import type { IndexSummary, Indexes, StoredLine } from './hearing-index.js';

// The archive's listing without re-verifying every hearing each time: a hearing's line (its verification
// summary) is kept with its index (both backends, so a restarted hub or another node reads it), stamped with
// the index it came from (`IndexSummary.stamp`) and with the registry's stamp for the room whose keys
// verification consulted. A line is served only while both stamps still match what is current here;
// otherwise it is recomputed, exactly as before, and written back. Verification reads no clock, and the
// manifest and book it reads are recorded (SHA-256) in the index, so nothing else changes a line.

/** What decides a key check of `room` (RoomRegistry.keyValidAt): its keys' fingerprints and windows. */
export function registryStamp(registry: Pick<RoomRegistry, 'room'> | undefined, room: string): string {
  if (!registry) return 'no-registry';
  if (!room) return 'not-consulted';
  const keys = registry.room(room)?.keys.map((k) => [k.fingerprint, k.validFrom, k.validTo ?? null, k.revokedAt ?? null]);
  return createHash('sha256')
    .update(JSON.stringify(keys ?? null))
    .digest('hex')
    .slice(0, 32);
}

export interface ComputedLine<E> {
  entry: E;
  /** The room whose enrolled keys the verification asked about ('' when it did not get that far). */
  keyRoom: string;
  /** registryStamp(registry, keyRoom) taken right beside the verification (the registry may change meanwhile). */
  registry: string;
}

export function createIndexListing<E>(
  indexes: Indexes,
  registry: Pick<RoomRegistry, 'room'> | undefined,
  opts: { format: string; logger?: Logger },
) {
  const cache = new Map<string, StoredLine>(); // this process's copy of the kept lines
  return {
    /** Every indexed hearing's line; `line(hearing)` runs only where no kept line is current. */
    async list(line: (hearing: string) => Promise<ComputedLine<E> | undefined>): Promise<E[]> {
      const rooms = new Map<string, string>(); // the registry's stamp per room, once per listing
      const regStamp = (room: string) => rooms.get(room) ?? (rooms.set(room, registryStamp(registry, room)), rooms.get(room)!);
      const current = (s: IndexSummary, kept: StoredLine | undefined) =>
        kept !== undefined && kept.v === opts.format && kept.of === s.stamp && kept.registry === regStamp(kept.keyRoom);
      const cold = cache.size === 0; // a (re)started hub: the kept lines come with the listing, in one read
      const summaries = await indexes.list(cold);
      const misses = cold ? [] : summaries.filter((s) => !current(s, cache.get(s.hearing)));
      const kept = misses.length > 0 ? await indexes.loadLines(misses.map((s) => s.hearing)) : new Map<string, StoredLine>();
      for (const s of summaries) if (s.line) kept.set(s.hearing, s.line);
      const computed: { hearing: string; stored: StoredLine }[] = [];
      const out: E[] = [];
      for (const s of summaries) {
        let stored = cache.get(s.hearing);
        if (!current(s, stored)) stored = kept.get(s.hearing);
        if (!current(s, stored)) {
          const c = await line(s.hearing);
          if (!c) continue;
          // Stamped with the index listed above: what verification read is that one or newer, never older.
          stored = { v: opts.format, of: s.stamp, keyRoom: c.keyRoom, registry: c.registry, line: c.entry };
          computed.push({ hearing: s.hearing, stored });
        }
        cache.set(s.hearing, stored!);
        out.push(stored!.line as E);
      }
      // The listing is right without them: a failed write-back only means the next cold start verifies again.
      if (computed.length > 0)
        await indexes
          .saveLines(computed)
          .catch((err) => opts.logger?.warn({ err, lines: computed.length }, 'archive listing lines not kept'));
      return out;
    },
  };
}
