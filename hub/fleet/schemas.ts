import { Type, type Static } from '@sinclair/typebox';
import { BookInput, Citizen } from '../../common/evidence/index.js';
import { ReportSummary } from '../../common/contracts/fleet.js';

// How officers see the fleet: each room's last report. The room → hub protocol itself is
// common/contracts/fleet.ts, imported from there by the daemon's reporter and the hub's files alike.

export const RoomHealthView = Type.Object({
  ...ReportSummary.properties,
  receivedAt: Type.String({ description: 'hub clock when the last report arrived' }),
  ageS: Type.Integer({ description: 'seconds since then (hub clock)' }),
  stale: Type.Boolean({ description: 'no report for max(3 × reportSeconds, 30 s)' }),
});
export type RoomHealthView = Static<typeof RoomHealthView>;
export const RoomHealth = Type.Union([RoomHealthView, Type.Null()], {
  description: 'last fleet report (null: never reported since the hub started)',
});

export const FleetRoomView = Type.Object({ id: Type.String(), name: Type.String(), online: Type.Boolean(), health: RoomHealth });

export const BOOK_STATES = ['pending', 'written', 'failed'] as const;
export type BookState = (typeof BOOK_STATES)[number];
export const BookEntryView = Type.Object({
  state: Type.Union(
    BOOK_STATES.map((s) => Type.Literal(s)),
    { description: "pending: not yet written at the room; written: sealed into the room's book.json; failed: the room refused (error)" },
  ),
  hearing: Type.String(),
  room: Type.String(),
  version: Type.Integer({ description: 'raised by every officer change' }),
  entry: Type.Composite([
    Type.Omit(BookInput, ['citizen']),
    Type.Object({
      citizen: Type.Union([Citizen, Type.Null()], {
        description:
          'null once the room has sealed it (the hub keeps no citizen identity after that), once a refused entry is purged (purgedAt), or for a caller without the supervisor role',
      }),
    }),
  ]),
  updatedAt: Type.String({ description: 'last change of state or entry' }),
  deliveredAt: Type.Union([Type.String(), Type.Null()], { description: 'when this version was last handed to the room' }),
  error: Type.Union([Type.String(), Type.Null()]),
  sha256: Type.Union([Type.String(), Type.Null()], { description: 'book.json hash the room reported' }),
  purgedAt: Type.Optional(
    Type.String({ description: "failed only: when the citizen's identity was purged from the hub (a bounded time after the refusal)" }),
  ),
});
export type BookEntryView = Static<typeof BookEntryView>;
export const BookAccepted = Type.Object({ state: Type.Literal('pending'), version: Type.Integer(), updatedAt: Type.String() });
export const ReportParams = Type.Object({ room: Type.String({ minLength: 1, maxLength: 64, description: 'room id' }) });
export const BookParams = Type.Object({
  id: Type.String({ description: 'hearing id' }),
  room: Type.String({ minLength: 1, maxLength: 64 }),
});
