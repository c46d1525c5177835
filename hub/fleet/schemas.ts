import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { BookInput, Citizen } from '../../common/evidence/index.js';

// The fleet protocol: what a room reports every `fleet.reportSeconds` (daemon/modules/fleet-report),
// what the hub answers (reception book entries to write), and how officers see both. Pure TypeBox,
// no app imports: the daemon imports these types too (the hub owns the contract).

const Name = (description: string) => Type.String({ maxLength: 64, description });
const Nullable = <T extends TSchema>(t: T, description: string) => Type.Union([t, Type.Null()], { description });

export const ReportSummary = Type.Object({
  at: Type.String({ maxLength: 40, description: 'room clock when the report was made (ISO)' }),
  version: Name('daemon version'),
  uptimeS: Type.Number({ minimum: 0, description: 'daemon uptime' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], { description: 'the room\'s own verdict (GET /api/v1/health on the room)' }),
  reportSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'the room reports this often; stale after max(3×, 30 s)' }),
  devices: Type.Array(Type.Object({ id: Name('device id'), kind: Name('camera | audio'), state: Name('starting | online | offline | stopped') }), { maxItems: 64 }),
  media: Nullable(Type.Object({ state: Name('worker state'), source: Type.Union([Name('source on air'), Type.Null()]) }), 'the media worker (null: none)'),
  gateway: Nullable(Type.Object({ state: Name('connecting | connected | reconnecting | failed | down') }), 'the gateway process'),
  recording: Nullable(
    Type.Object({ state: Name('disabled | idle | recording | waiting-for-worker'), hearing: Type.Union([Name('recording dir id'), Type.Null()]), segments: Type.Integer({ minimum: 0 }) }),
    'local recording',
  ),
  uploader: Nullable(
    Type.Object({
      state: Name('idle | uploading | waiting | stopped'),
      backlogFiles: Type.Integer({ minimum: 0, description: 'files without a hub receipt' }),
      backlogBytes: Type.Integer({ minimum: 0 }),
      oldestAgeS: Type.Integer({ minimum: 0 }),
    }),
    'forwarding to the archive',
  ),
  disk: Nullable(
    Type.Object({ freeMb: Type.Integer({ minimum: 0 }), minutesLeft: Type.Union([Type.Integer(), Type.Null()], { description: 'recording minutes left at the recent rate' }) }),
    'recordings disk (null: retention off)',
  ),
});
export type ReportSummary = Static<typeof ReportSummary>;

export const BookAck = Type.Object({
  hearing: Type.String({ minLength: 1, maxLength: 128, description: 'hub hearing id' }),
  version: Type.Integer({ minimum: 1 }),
  ok: Type.Boolean(),
  error: Type.Optional(Type.String({ maxLength: 500, description: 'why the room could not write it (e.g. 409 manifest closed)' })),
  sha256: Type.Optional(Type.String({ maxLength: 64, description: 'book.json as anchored in the room\'s manifest' })),
});
export type BookAck = Static<typeof BookAck>;

/** POST /api/v1/fleet/rooms/:room/report body. */
export const RoomReport = Type.Object({ ...ReportSummary.properties, acks: Type.Optional(Type.Array(BookAck, { maxItems: 100, description: 'results of book entries handed over earlier' })) });
export type RoomReport = Static<typeof RoomReport>;

export const BookDelivery = Type.Object({ hearing: Type.String({ description: 'hub hearing id' }), entry: BookInput, version: Type.Integer() });
export type BookDelivery = Static<typeof BookDelivery>;
/** The answer to a report: pending reception book entries for this room. */
export const ReportAnswer = Type.Object({ book: Type.Array(BookDelivery) });
export type ReportAnswer = Static<typeof ReportAnswer>;

export const RoomHealthView = Type.Object({
  ...ReportSummary.properties,
  receivedAt: Type.String({ description: 'hub clock when the last report arrived' }),
  ageS: Type.Integer({ description: 'seconds since then (hub clock)' }),
  stale: Type.Boolean({ description: 'no report for max(3 × reportSeconds, 30 s)' }),
});
export type RoomHealthView = Static<typeof RoomHealthView>;
export const RoomHealth = Type.Union([RoomHealthView, Type.Null()], { description: 'last fleet report (null: never reported since the hub started)' });

export const FleetRoomView = Type.Object({ id: Type.String(), name: Type.String(), online: Type.Boolean(), health: RoomHealth });

export const BOOK_STATES = ['pending', 'written', 'failed'] as const;
export type BookState = (typeof BOOK_STATES)[number];
export const BookEntryView = Type.Object({
  state: Type.Union(BOOK_STATES.map((s) => Type.Literal(s)), { description: 'pending: not yet written at the room; written: sealed into the room\'s book.json; failed: the room refused (error)' }),
  hearing: Type.String(),
  room: Type.String(),
  version: Type.Integer({ description: 'raised by every officer change' }),
  entry: Type.Composite([Type.Omit(BookInput, ['citizen']), Type.Object({ citizen: Type.Union([Citizen, Type.Null()], { description: 'null once the room has sealed it: the hub keeps no citizen identity after that' }) })]),
  updatedAt: Type.String({ description: 'last change of state or entry' }),
  deliveredAt: Type.Union([Type.String(), Type.Null()], { description: 'when this version was last handed to the room' }),
  error: Type.Union([Type.String(), Type.Null()]),
  sha256: Type.Union([Type.String(), Type.Null()], { description: 'book.json hash the room reported' }),
});
export type BookEntryView = Static<typeof BookEntryView>;
export const BookAccepted = Type.Object({ state: Type.Literal('pending'), version: Type.Integer(), updatedAt: Type.String() });
export const ReportParams = Type.Object({ room: Type.String({ minLength: 1, maxLength: 64, description: 'room id' }) });
export const BookParams = Type.Object({ id: Type.String({ description: 'hearing id' }), room: Type.String({ minLength: 1, maxLength: 64 }) });
