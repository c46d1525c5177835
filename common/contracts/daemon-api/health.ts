import { Type, type Static, type TLiteral } from '@sinclair/typebox';
import { DEVICE_STATES } from '../../lifecycle.js';
import { GATEWAY_STATES } from '../gateway-state.js';
import { MediaPathSchema } from '../ice-servers.js';
import { HostSample } from '../host.js';
import { KioskLock } from '../kiosk-lock.js';
import { ClockReading } from '../clock.js';

// Daemon → kiosk page and monitors: GET /api/v1/health (daemon/modules/api/routes/health.ts) and the
// parts other routes answer alone (GET /recording, /gateway). The kiosk imports these types only
// (`import type`). Pure TypeBox, no app imports.

/** A union of literals from an `as const` array (convention 6), typed as that union. */
const lit = <T extends readonly string[]>(xs: T, description?: string) =>
  Type.Union(xs.map((x) => Type.Literal(x)) as TLiteral<T[number]>[], description ? { description } : {});

/** A device's or a driver link's health (common/lifecycle.ts `Health`). */
export const DeviceHealth = Type.Object({
  state: lit(DEVICE_STATES),
  since: Type.String(),
  lastError: Type.Optional(Type.String()),
  reconnects: Type.Integer(),
});

/** The daemon's view of the gateway process: the gateway's own state, or `down` when it does not answer. */
export const GATEWAY_LINK_STATES = [...GATEWAY_STATES, 'down'] as const;
export const GatewayLinkSummary = Type.Object({
  state: lit(GATEWAY_LINK_STATES),
  since: Type.String({ description: 'ISO time of the last state change' }),
  reason: Type.Optional(Type.String()),
  rttMs: Type.Optional(Type.Integer({ description: 'signaling round trip to the hub (ms), while connected' })),
  path: Type.Optional({ ...MediaPathSchema, description: 'how the media reaches the hub (direct UDP, TURN/UDP/TCP/TLS), while connected' }),
});
export type GatewayLinkSummary = Static<typeof GatewayLinkSummary>;

export const RECORDING_STATES = ['disabled', 'idle', 'recording', 'waiting-for-worker'] as const;
/** GET /api/v1/recording, and `recording` in the health. */
export const RecordingStatus = Type.Object({
  state: lit(RECORDING_STATES),
  hearing: Type.Union([Type.String(), Type.Null()]),
  dir: Type.Union([Type.String(), Type.Null()]),
  segments: Type.Integer({ description: 'segments entered in the manifest' }),
  bytes: Type.Integer(),
  durationMs: Type.Integer({ description: "sum of the entered segments' media durations" }),
  gaps: Type.Integer({ description: 'gap entries written by this daemon run' }),
  lastSegment: Type.Union([Type.Object({ file: Type.String(), end: Type.String(), durationMs: Type.Integer() }), Type.Null()]),
  alarm: Type.Union([
    Type.Object({ reason: Type.String({ description: 'disk-full | write-error' }), message: Type.String(), since: Type.String() }),
    Type.Null(),
  ]),
});
export type RecordingStatus = Static<typeof RecordingStatus>;

const Alarm = Type.Object({
  source: Type.String(),
  code: Type.String({ description: 'UPLOAD_REFUSED | RECEIPT_INVALID | UPLOAD_UNAUTHORIZED (uploader), DISK_LOW… (retention)' }),
  message: Type.String(),
  active: Type.Boolean(),
  minutesLeft: Type.Optional(Type.Integer()),
  file: Type.Optional(Type.String({ description: 'refused upload: `<hearing>/<file>` (one alarm per file)' })),
  hubCode: Type.Optional(Type.String({ description: "refused upload: the hub's error code (ALREADY_ARCHIVED, MANIFEST_INVALID…)" })),
});

const Refused = Type.Object({
  hearing: Type.String(),
  file: Type.String(),
  status: Type.Integer({ description: "the hub's HTTP status (0: its receipt did not verify)" }),
  code: Type.String({ description: "the hub's error code" }),
  message: Type.String({ description: "the hub's reason" }),
  at: Type.String({ description: 'when it was last refused' }),
  retryAt: Type.String({ description: 'next attempt (sooner when the file changes)' }),
});

export const UPLOADER_STATES = ['idle', 'uploading', 'waiting', 'stopped'] as const;
export const UploaderHealth = Type.Object({
  state: lit(UPLOADER_STATES, 'waiting: the hub is away, retrying with backoff'),
  backlogFiles: Type.Integer({ description: 'files without a hub receipt yet (refused ones included)' }),
  backlogBytes: Type.Integer(),
  refusedFiles: Type.Integer({
    description: 'of the backlog: files the hub refused for a reason the room cannot fix (parked, retried hourly or when changed)',
  }),
  refusedBytes: Type.Integer(),
  refused: Type.Array(Refused, { description: "the refused files (at most 100), in the hub's words" }),
  oldestAgeS: Type.Integer({ description: 'age of the oldest file not yet forwarded' }),
  lastError: Type.Optional(Type.String()),
  hubUrl: Type.String(),
  forwardedFiles: Type.Integer({ description: 'receipts received since start' }),
  bytesSent: Type.Integer(),
  lastReceiptAt: Type.Optional(Type.String()),
  alarms: Type.Array(Alarm),
});

/** The rate `minutesAtRate` counts at: what is recording now, the last recording of this daemon run, or the design rate. */
export const RATE_BASES = ['recent', 'last-recording', 'design'] as const;

export const RetentionHealth = Type.Object({
  keepDays: Type.Number(),
  minFreeMb: Type.Integer(),
  freeMb: Type.Integer(),
  minutesLeft: Type.Union([Type.Integer(), Type.Null()], {
    description: 'minutes of recording left at the recent byte rate (null: not recording)',
  }),
  bytesPerSecond: Type.Integer({ description: 'recent recording byte rate (last 10 min)' }),
  minutesAtRate: Type.Union([Type.Integer(), Type.Null()], {
    description: 'minutes of recording the free disk holds at rateKbps, recording or not (null: no sweep yet)',
  }),
  rateKbps: Type.Integer({ description: 'the rate minutesAtRate counts at (kbit/s)' }),
  rateBasis: lit(RATE_BASES, 'recent: recording now; last-recording: the last one this run; design: 2.6 Mbit/s, a transcoded 720p camera'),
  unforwardedFiles: Type.Integer({ description: 'segments without a receipt (never deleted)' }),
  deletedFiles: Type.Integer(),
  lastSweepAt: Type.String(),
  alarm: Type.Optional(Type.String()),
});

export const FLEET_REPORT_STATES = ['stopped', 'starting', 'reporting', 'failing'] as const;
/** The fleet reporter; the kiosk reads `recordingAlarmReportedAt` to say truthfully whether the central point knows of a recording alarm. */
export const FleetHealth = Type.Object({
  state: lit(FLEET_REPORT_STATES, 'failing: the hub is away or refuses; retried every period'),
  since: Type.String(),
  lastReportAt: Type.Optional(Type.String({ description: 'when the hub last accepted a report' })),
  lastError: Type.Optional(Type.String()),
  recordingAlarmReportedAt: Type.Union([Type.String(), Type.Null()], {
    description: "when the hub accepted a report carrying the recorder's current alarm; null: no alarm, or the hub has not heard of it yet",
  }),
});

/** GET /api/v1/health: "degraded" as soon as a device, the media worker, the recorder, the uploader or the disk has a problem. */
export const HealthReply = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  room: Type.Object({ id: Type.String(), name: Type.String() }),
  version: Type.String(),
  uptimeS: Type.Number(),
  memoryRssMb: Type.Number(),
  devices: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), health: DeviceHealth })),
  meters: Type.Optional(
    Type.Array(
      Type.Object({
        channel: Type.String(),
        tag: Type.String(),
        index: Type.Integer(),
        state: Type.String({ description: 'ok | pending | silent (being subscribed again) | failed (the DSP refused it: a wrong tag)' }),
        error: Type.Optional(Type.String()),
        lastAt: Type.Optional(Type.String({ description: 'time of the last reading (ISO 8601)' })),
        renewed: Type.Optional(
          Type.Integer({
            description: 'times the DSP had dropped the subscription without a word (a configuration push) and it was renewed',
          }),
        ),
      }),
      { description: "the DSP's live levels per channel; a failed one makes the room degraded (mute and level still work)" },
    ),
  ),
  audioFollow: Type.Optional(
    Type.Object(
      { mode: Type.String({ description: 'disabled | off | paused | auto' }), health: DeviceHealth },
      { description: 'the camera that follows the talker: shown, not counted in status' },
    ),
  ),
  media: Type.Optional(
    Type.Object({
      health: DeviceHealth,
      source: Type.Union([Type.String(), Type.Null()], { description: 'on air' }),
      restarts: Type.Integer(),
    }),
  ),
  gateway: Type.Optional(GatewayLinkSummary),
  recording: Type.Optional(RecordingStatus),
  uploader: Type.Optional(UploaderHealth),
  retention: Type.Optional(RetentionHealth),
  fleet: Type.Optional(FleetHealth),
  host: Type.Optional(
    Type.Union([HostSample, Type.Null()], {
      description: 'the box, sampled on a worker thread (daemon/modules/host-health); null: no sample yet',
    }),
  ),
  kiosk: Type.Optional(KioskLock),
  clock: Type.Optional(
    Type.Union([ClockReading, Type.Null()], {
      description: "the room's clock against the hub's (daemon/modules/clock), alarm past 1 s; null: not measured yet",
    }),
  ),
});
export type HealthReply = Static<typeof HealthReply>;
