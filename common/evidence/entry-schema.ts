import { Type, type Static, type TLiteral, type TObject, type TProperties } from '@sinclair/typebox';
import { EntryClock } from './entry-clock.js';

// Manifest entries (docs/EVIDENCE.md "Manifest entries") as TypeBox schemas: one per kind, each the
// chain fields plus its own, no other field. The types of manifest.ts are derived from these.
// Patterns stand in for checks that used to be code, with the same meaning:
// - ENTRY_TIME: the ISO shape and every value Date.parse accepts in it (months 01–12, days 01–31 of any
//   month, hours 00–23 or 24:00:00, offsets up to ±23:59); checked equal over 1.7 M combinations.
// - PUBLIC_KEY: canonical base64 of exactly 32 bytes (what Buffer round-tripping accepted).

export const ENTRY_TIME_PATTERN =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T(([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?|24:00:00(\\.0{1,9})?)(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';
export const HEX64_PATTERN = '^[0-9a-f]{64}$';
/** A segment or book file is a bare name inside the hearing directory, never a path. */
export const ENTRY_FILE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
const PUBLIC_KEY_PATTERN = '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$';

export const GAP_REASONS = ['worker-restart', 'camera-slate', 'recorder-stopped', 'disk-full', 'segment-refused'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

const Time = (description: string) => Type.String({ pattern: ENTRY_TIME_PATTERN, description });
const Hex64 = (description: string) => Type.String({ pattern: HEX64_PATTERN, description });
const Text = (description: string) => Type.String({ minLength: 1, description });
const Count = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const FileName = (description: string) => Type.String({ pattern: ENTRY_FILE_PATTERN, description });

/** Fields every entry carries; sealEntry fills v, seq, prev, hash, sig. */
export const ChainFields = {
  v: Type.Literal(1, { description: 'format version' }),
  seq: Count('position in the file, from 0'),
  hearing: Text('hearing id, the same on every line'),
  at: Time('wall-clock time the entry was written'),
  prev: Hex64('hash of the previous entry (64 zeros for seq 0)'),
  hash: Hex64('SHA-256 of the canonical JSON of the entry without hash and sig'),
  sig: Text('base64 Ed25519 signature over the 32 hash bytes'),
};

function entry<K extends string, P extends TProperties>(kind: K, fields: P, description: string) {
  return Type.Object({ ...ChainFields, ...fields, kind: Type.Literal(kind) }, { additionalProperties: false, description });
}

export const OpenEntry = entry(
  'open',
  {
    room: Text('room id'),
    publicKey: Type.String({ pattern: PUBLIC_KEY_PATTERN, description: 'raw Ed25519 public key, base64' }),
    start: Time('hearing start'),
    clock: Type.Optional(EntryClock), // since issue 13: the room's clock offset at the start
  },
  'first line: who signs this chain',
);
export const SegmentEntry = entry(
  'segment',
  {
    file: FileName('segment file in the hearing directory'),
    sha256: Hex64('SHA-256 of the file'),
    bytes: Count('file size'),
    durationMs: Count('media duration'),
    start: Time('first media instant, wall clock'),
    end: Time('last media instant, wall clock'),
  },
  'one recorded segment',
);
export const GapEntry = entry(
  'gap',
  {
    start: Time('gap start'),
    end: Time('gap end'),
    reason: Type.Union(GAP_REASONS.map((r) => Type.Literal(r)) as TLiteral<GapReason>[], { description: GAP_REASONS.join(' | ') }),
    file: Type.Optional(FileName('a file in the directory that is not evidence (set aside, refused)')),
    detail: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'why, in words' })),
  },
  'time not recorded, and why',
);
export const BookEntry = entry('book', { file: FileName('book file'), sha256: Hex64('SHA-256 of the file') }, 'binds the reception book');
export const CloseEntry = entry(
  'close',
  { end: Time('hearing end'), clock: Type.Optional(EntryClock) }, // clock: since issue 13, the offset at the end
  'last line: nothing may follow',
);

export const ManifestEntry = Type.Union([OpenEntry, SegmentEntry, GapEntry, BookEntry, CloseEntry]);

export type OpenEntry = Static<typeof OpenEntry>;
export type SegmentEntry = Static<typeof SegmentEntry>;
/** `file` + `detail`: a file in the directory that is not evidence (set aside, refused) and why. */
export type GapEntry = Static<typeof GapEntry>;
export type BookEntry = Static<typeof BookEntry>;
export type CloseEntry = Static<typeof CloseEntry>;
export type ManifestEntry = Static<typeof ManifestEntry>;
export type EntryKind = ManifestEntry['kind'];

/** The schema of each kind. */
export const ENTRY_SCHEMAS: Record<EntryKind, TObject> = {
  open: OpenEntry,
  segment: SegmentEntry,
  gap: GapEntry,
  book: BookEntry,
  close: CloseEntry,
};
