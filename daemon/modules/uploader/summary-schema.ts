import { Type } from '@sinclair/typebox';

// How /api/v1/health shows the uploader and retention (TypeBox, for the response schema and /docs).

const Alarm = Type.Object({ source: Type.String(), code: Type.String(), message: Type.String(), active: Type.Boolean(), minutesLeft: Type.Optional(Type.Integer()) });

export const UploaderHealthSchema = Type.Object({
  state: Type.Union(['idle', 'uploading', 'waiting', 'stopped'].map((s) => Type.Literal(s)), { description: 'waiting: the hub is away, retrying with backoff' }),
  backlogFiles: Type.Integer({ description: 'files without a hub receipt yet' }),
  backlogBytes: Type.Integer(),
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
