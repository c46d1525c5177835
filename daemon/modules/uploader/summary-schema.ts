import { Type } from '@sinclair/typebox';

// How /api/v1/health shows the uploader and retention (TypeBox, for the response schema and /docs).

const Alarm = Type.Object({
  source: Type.String(),
  code: Type.String({ description: 'UPLOAD_REFUSED | RECEIPT_INVALID | UPLOAD_UNAUTHORIZED (uploader), DISK_LOW… (retention)' }),
  message: Type.String(),
  active: Type.Boolean(),
  minutesLeft: Type.Optional(Type.Integer()),
  file: Type.Optional(Type.String({ description: 'refused upload: `<hearing>/<file>` (one alarm per file)' })),
  hubCode: Type.Optional(Type.String({ description: 'refused upload: the hub\'s error code (ALREADY_ARCHIVED, MANIFEST_INVALID…)' })),
});

const Refused = Type.Object({
  hearing: Type.String(),
  file: Type.String(),
  status: Type.Integer({ description: 'the hub\'s HTTP status (0: its receipt did not verify)' }),
  code: Type.String({ description: 'the hub\'s error code' }),
  message: Type.String({ description: 'the hub\'s reason' }),
  at: Type.String({ description: 'when it was last refused' }),
  retryAt: Type.String({ description: 'next attempt (sooner when the file changes)' }),
});

export const UploaderHealthSchema = Type.Object({
  state: Type.Union(['idle', 'uploading', 'waiting', 'stopped'].map((s) => Type.Literal(s)), { description: 'waiting: the hub is away, retrying with backoff' }),
  backlogFiles: Type.Integer({ description: 'files without a hub receipt yet (refused ones included)' }),
  backlogBytes: Type.Integer(),
  refusedFiles: Type.Integer({ description: 'of the backlog: files the hub refused for a reason the room cannot fix (parked, retried hourly or when changed)' }),
  refusedBytes: Type.Integer(),
  refused: Type.Array(Refused, { description: 'the refused files (at most 100), in the hub\'s words' }),
  oldestAgeS: Type.Integer({ description: 'age of the oldest file not yet forwarded' }),
  lastError: Type.Optional(Type.String()),
  hubUrl: Type.String(),
  forwardedFiles: Type.Integer({ description: 'receipts received since start' }),
  bytesSent: Type.Integer(),
  lastReceiptAt: Type.Optional(Type.String()),
  alarms: Type.Array(Alarm),
});

export const RetentionHealthSchema = Type.Object({
  keepDays: Type.Number(),
  minFreeMb: Type.Integer(),
  freeMb: Type.Integer(),
  minutesLeft: Type.Union([Type.Integer(), Type.Null()], { description: 'minutes of recording left at the recent byte rate (null: not recording)' }),
  bytesPerSecond: Type.Integer({ description: 'recent recording byte rate (last 10 min)' }),
  unforwardedFiles: Type.Integer({ description: 'segments without a receipt (never deleted)' }),
  deletedFiles: Type.Integer(),
  lastSweepAt: Type.String(),
  alarm: Type.Optional(Type.String()),
});
