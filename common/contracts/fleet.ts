import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MediaPathSchema } from './ice-servers.js';
import { BookInput } from '../evidence/book-schema.js';
import { HostSample } from './host.js';
import { KioskLock } from './kiosk-lock.js';
import { ClockReading } from './clock.js';
import { HUB_API, fillRoute } from './route.js';
import { FleetOp, OpResult } from './fleet-ops.js';
import { UpdateOffer, UpdateStatus } from './updates.js';

// The fleet protocol, room → hub: what a room reports (daemon/modules/fleet-report) and what the hub
// answers (reception book entries to write, hub/fleet). One TypeBox definition both sides import.
// Pure TypeBox, no app imports.

/** POST, under HUB_API: the room's report, its secret as Bearer; body RoomReport, answer ReportAnswer. */
export const FLEET_REPORT_ROUTE = '/fleet/rooms/:room/report';
/** The full path a room POSTs its report to. */
export const fleetReportPath = (room: string) => `${HUB_API}${fillRoute(FLEET_REPORT_ROUTE, { room })}`;

const Name = (description: string) => Type.String({ maxLength: 64, description });
const Nullable = <T extends TSchema>(t: T, description: string) => Type.Union([t, Type.Null()], { description });

/** Why the room's recorder is not recording (daemon/modules/recorder: `alarm.reason`). */
export const RECORDING_ALARM_REASONS = ['disk-full', 'write-error'] as const;

export const RecordingAlarm = Type.Object({
  reason: Name('disk-full | write-error (a later room may send another reason: shown as it is)'),
  since: Type.String({ maxLength: 40, description: 'room clock when the recording first failed (ISO)' }),
  message: Type.String({ maxLength: 300, description: 'what the recording pipeline said, for the technician' }),
});
export type RecordingAlarm = Static<typeof RecordingAlarm>;

export const ReportSummary = Type.Object({
  at: Type.String({ maxLength: 40, description: 'room clock when the report was made (ISO)' }),
  version: Name('daemon version'),
  uptimeS: Type.Number({ minimum: 0, description: 'daemon uptime' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], {
    description: "the room's own verdict (GET /api/v1/health on the room)",
  }),
  reportSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'the room reports this often; stale after max(3×, 30 s)' }),
  devices: Type.Array(
    Type.Object({ id: Name('device id'), kind: Name('camera | audio'), state: Name('starting | online | offline | stopped') }),
    { maxItems: 64 },
  ),
  media: Nullable(
    Type.Object({ state: Name('worker state'), source: Type.Union([Name('source on air'), Type.Null()]) }),
    'the media worker (null: none)',
  ),
  gateway: Nullable(
    Type.Object({
      state: Name('connecting | connected | reconnecting | failed | down'),
      path: Type.Optional({
        ...MediaPathSchema,
        description: "the room's media to the hub: direct UDP or the hub's TURN over UDP/TCP/TLS",
      }),
    }),
    'the gateway process',
  ),
  recording: Nullable(
    Type.Object({
      state: Name('disabled | idle | recording | waiting-for-worker'),
      hearing: Type.Union([Name('recording dir id'), Type.Null()]),
      segments: Type.Integer({ minimum: 0 }),
      // Optional: rooms older than the alarm report leave it out. A change of alarm is reported at once.
      alarm: Type.Optional(Nullable(RecordingAlarm, 'the recording is failing (disk full, write error) since `since`; null: no alarm')),
    }),
    'local recording',
  ),
  uploader: Nullable(
    Type.Object({
      state: Name('idle | uploading | waiting | stopped'),
      backlogFiles: Type.Integer({ minimum: 0, description: 'files without a hub receipt' }),
      backlogBytes: Type.Integer({ minimum: 0 }),
      oldestAgeS: Type.Integer({ minimum: 0 }),
      // Optional: rooms older than the refusal report leave them out.
      refusedFiles: Type.Optional(
        Type.Integer({
          minimum: 0,
          description:
            'of the backlog: files the archive refused for a reason the room cannot fix by sending again (parked at the room, with an alarm)',
        }),
      ),
      refused: Type.Optional(
        Type.Array(
          Type.Object({
            file: Type.String({ maxLength: 200, description: '<hearing>/<file>' }),
            code: Name("the archive's error code (ALREADY_ARCHIVED, MANIFEST_INVALID…)"),
            message: Type.String({ maxLength: 300, description: "the archive's reason" }),
          }),
          { maxItems: 20, description: 'the first refused files' },
        ),
      ),
    }),
    'forwarding to the archive',
  ),
  disk: Nullable(
    Type.Object({
      freeMb: Type.Integer({ minimum: 0 }),
      minutesLeft: Type.Union([Type.Integer(), Type.Null()], {
        description: 'recording minutes left at the recent rate (null: not recording)',
      }),
      // Optional: rooms older than these leave them out (an idle room then shows no minutes).
      minutesAtRate: Type.Optional(
        Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
          description: 'minutes of recording the free disk holds at rateKbps, recording or not',
        }),
      ),
      rateKbps: Type.Optional(Type.Integer({ minimum: 0, description: 'the rate minutesAtRate counts at' })),
      rateBasis: Type.Optional(Name('recent | last-recording | design (2.6 Mbit/s)')),
    }),
    'recordings disk (null: retention off)',
  ),
  // Optional: rooms older than the host sampler leave it out.
  host: Type.Optional(Nullable(HostSample, "the room's box: CPU, memory, temperature, disks, network (null: not sampled yet)")),
  // Optional: rooms older than the PIN lockout report leave it out.
  kiosk: Type.Optional(KioskLock),
  // Optional: rooms older than clock discipline leave these out (issue 13).
  clock: Type.Optional(Nullable(ClockReading, "the room's clock against the hub's, last measured (null: not measured yet)")),
  workerRestarts: Type.Optional(
    Nullable(
      Type.Object({
        lastHour: Type.Integer({ minimum: 0, description: 'media worker restarts in the last hour (this daemon run)' }),
        total: Type.Integer({ minimum: 0, description: 'since the daemon started' }),
      }),
      'the media worker (null: none)',
    ),
  ),
  link: Type.Optional(
    Type.Object(
      {
        rttMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
          description: "the gateway's signaling round trip to the hub, smoothed (null: not connected)",
        }),
        lossPercent: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], {
          description: 'packet loss to the hub (null: the gateway does not measure it yet)',
        }),
      },
      { description: 'the link to the hub' },
    ),
  ),
  // Optional (issue 13, updates): the last software update offered to this room and how it went.
  update: Type.Optional(Nullable(UpdateStatus, 'the last update offered (null: none since this box was installed)')),
});
export type ReportSummary = Static<typeof ReportSummary>;

export const BookAck = Type.Object({
  hearing: Type.String({ minLength: 1, maxLength: 128, description: 'hub hearing id' }),
  version: Type.Integer({ minimum: 1 }),
  ok: Type.Boolean(),
  error: Type.Optional(Type.String({ maxLength: 500, description: 'why the room could not write it (e.g. 409 manifest closed)' })),
  sha256: Type.Optional(Type.String({ maxLength: 64, description: "book.json as anchored in the room's manifest" })),
});
export type BookAck = Static<typeof BookAck>;

/** POST /api/v1/fleet/rooms/:room/report body. */
export const RoomReport = Type.Object({
  ...ReportSummary.properties,
  acks: Type.Optional(Type.Array(BookAck, { maxItems: 100, description: 'results of book entries handed over earlier' })),
  // Optional (issue 13): results of remote operations handed over earlier (common/contracts/fleet-ops.ts).
  opResults: Type.Optional(Type.Array(OpResult, { maxItems: 50, description: 'results of remote operations handed over earlier' })),
});
export type RoomReport = Static<typeof RoomReport>;

export const BookDelivery = Type.Object({
  hearing: Type.String({ description: 'hub hearing id' }),
  entry: BookInput,
  version: Type.Integer(),
});
export type BookDelivery = Static<typeof BookDelivery>;
/** The answer to a report: pending reception book entries for this room. */
export const ReportAnswer = Type.Object({
  book: Type.Array(BookDelivery),
  // Optional (issue 13): remote operations for the room (fleet-ops.ts); older hubs leave it out.
  ops: Type.Optional(Type.Array(FleetOp, { maxItems: 20, description: 'remote operations a technician asked of this room' })),
  // Optional: older hubs leave it out. The room measures its clock offset from it (daemon/modules/clock).
  hubTime: Type.Optional(Type.String({ maxLength: 40, description: "the hub's clock when it handled the report (ISO, ms)" })),
  // Optional (issue 13, updates): the version the central point wants this room to run (common/contracts/updates.ts).
  update: Type.Optional(UpdateOffer),
});
export type ReportAnswer = Static<typeof ReportAnswer>;
