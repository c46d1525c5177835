import { Type, type Static, type TLiteral } from '@sinclair/typebox';
import type { ManifestEntry } from './entry-schema.js';

// The room's clock offset as measured when an entry was written (daemon/modules/clock): an optional
// `clock` field on `open` and `close` entries (docs/EVIDENCE.md). Every time in a manifest is the room's
// clock; this says how far that clock was from the hub's (or NTP's) at the hearing's start and end.
// Pure TypeBox; own copies of the time pattern and sources (common/evidence imports no contracts).

const TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';
export const ENTRY_CLOCK_SOURCES = ['hub', 'ntp'] as const;
/** A day: a larger offset is a broken measurement, not a clock. */
const MAX_OFFSET_MS = 86_400_000;

export const EntryClock = Type.Object(
  {
    offsetMs: Type.Integer({ minimum: -MAX_OFFSET_MS, maximum: MAX_OFFSET_MS, description: 'reference minus room clock (ms)' }),
    rttMs: Type.Integer({ minimum: 0, maximum: MAX_OFFSET_MS, description: 'round trip of the measurement: good to ± rttMs/2' }),
    measuredAt: Type.String({ pattern: TIME, description: 'room clock when measured' }),
    source: Type.Union(ENTRY_CLOCK_SOURCES.map((s) => Type.Literal(s)) as TLiteral<(typeof ENTRY_CLOCK_SOURCES)[number]>[], {
      description: 'hub | ntp',
    }),
  },
  { additionalProperties: false, description: "the room's clock offset, last measured before this entry was written" },
);
export type EntryClock = Static<typeof EntryClock>;

/** Each clock reading in a chain, with the entry that carries it. */
export function clockReadings(entries: ManifestEntry[]): (EntryClock & { seq: number; kind: 'open' | 'close' })[] {
  return entries.flatMap((e) => ((e.kind === 'open' || e.kind === 'close') && e.clock ? [{ seq: e.seq, kind: e.kind, ...e.clock }] : []));
}

/** A measurement as the entry keeps it (the reading's alarm is derived, not evidence). */
export const entryClock = (r: EntryClock | null | undefined): { clock?: EntryClock } =>
  r ? { clock: { offsetMs: r.offsetMs, rttMs: r.rttMs, measuredAt: r.measuredAt, source: r.source } } : {};
