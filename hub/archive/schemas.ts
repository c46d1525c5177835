import { Type } from '@sinclair/typebox';
import { HEARING_ID_PATTERN } from '../../common/evidence/index.js';
import { SEGMENT_STATES, VERIFICATION_STATES } from './verify-hearing.js';

// TypeBox request/response schemas of the archive routes (they also feed /docs). What the room sends
// and gets back (receipt, upload headers, error codes) is the contract: common/contracts/archive.ts.

const lit = <T extends readonly string[]>(xs: T, description: string) =>
  Type.Union(
    xs.map((x) => Type.Literal(x)),
    { description },
  );
export const FILE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

export const HearingParams = Type.Object({ h: Type.String({ pattern: HEARING_ID_PATTERN, description: 'hearing id' }) });
export const FileParams = Type.Object({
  h: Type.String({ pattern: HEARING_ID_PATTERN, description: 'hearing id' }),
  name: Type.String({ pattern: FILE_NAME_PATTERN, description: 'file name inside the hearing (no path)' }),
});

// Errors: the one shape of both servers, ErrorReply (common/http/error-reply.ts); codes in common/contracts/archive.ts.

const BookSummary = Type.Object(
  {
    classification: Type.Optional(Type.String()),
    classificationVi: Type.Optional(Type.String()),
    summary: Type.Optional(Type.String()),
    officer: Type.Optional(Type.String()),
    receivedAt: Type.Optional(Type.String()),
  },
  { description: "from book.json: never the citizen's identity" },
);

const Common = {
  hearing: Type.String(),
  room: Type.String({ description: 'the room that uploaded it' }),
  state: lit(VERIFICATION_STATES, 'verified | incomplete | failed'),
  reasons: Type.Array(Type.String(), { description: 'why not verified (failures first)' }),
  durationMs: Type.Integer(),
  start: Type.Optional(Type.String()),
  end: Type.Optional(Type.String()),
  closed: Type.Boolean(),
  keyFingerprint: Type.Optional(
    Type.String({ description: "hex SHA-256 (SPKI DER) of the key that signed the manifest; checked against the room's enrolled key" }),
  ),
  book: Type.Optional(BookSummary),
};

export const HearingListItem = Type.Object({ ...Common, createdAt: Type.String(), segments: Type.Integer(), bytes: Type.Integer() });

export const HearingDetail = Type.Object({
  ...Common,
  entries: Type.Array(Type.Object({ seq: Type.Integer(), kind: Type.String(), at: Type.String() }, { additionalProperties: true }), {
    description: 'the manifest entries',
  }),
  segments: Type.Array(
    Type.Object({
      file: Type.String(),
      seq: Type.Optional(Type.Integer()),
      state: lit(SEGMENT_STATES, 'verified | missing (listed, not received) | mismatch | unlisted (received, not yet in the manifest)'),
      bytes: Type.Integer(),
      durationMs: Type.Optional(Type.Integer()),
      start: Type.Optional(Type.String()),
      end: Type.Optional(Type.String()),
    }),
  ),
  gaps: Type.Array(Type.Object({ start: Type.String(), end: Type.String(), reason: Type.String() })),
  clocks: Type.Optional(
    Type.Array(
      Type.Object({
        seq: Type.Integer(),
        kind: Type.String({ description: 'open | close' }),
        offsetMs: Type.Integer({ description: "hub (or NTP) minus the room's clock when the entry was written" }),
        rttMs: Type.Integer({ description: 'the offset is good to ± rttMs/2' }),
        measuredAt: Type.String(),
        source: Type.String({ description: 'hub | ntp' }),
      }),
      { description: "the room's clock offset recorded in the manifest (issue 13); empty: an older room, or the hub not reached" },
    ),
  ),
});
