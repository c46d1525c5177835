import type { HealthReply } from '../types.js';

// Complete GET /api/v1/health answers for the page's tests (the type is the daemon's contract, every
// field required): only what a test is about is given, the rest is a quiet room.

type Reply = Required<HealthReply>;

export const device = (state: Reply['media']['health']['state']): Reply['media']['health'] => ({ state, since: '', reconnects: 0 });

export const media = (source: string | null, state: Reply['media']['health']['state'] = 'online', restarts = 0): Reply['media'] => ({
  health: device(state),
  source,
  restarts,
});

export const recordingStatus = (over: Partial<Reply['recording']> = {}): Reply['recording'] => ({
  state: 'idle',
  hearing: null,
  dir: null,
  segments: 0,
  bytes: 0,
  durationMs: 0,
  gaps: 0,
  lastSegment: null,
  alarm: null,
  ...over,
});

export const uploaderHealth = (over: Partial<Reply['uploader']> = {}): Reply['uploader'] => ({
  state: 'idle',
  backlogFiles: 0,
  backlogBytes: 0,
  oldestAgeS: 0,
  refusedFiles: 0,
  refusedBytes: 0,
  refused: [],
  hubUrl: '',
  forwardedFiles: 0,
  bytesSent: 0,
  alarms: [],
  ...over,
});

export const fleetHealth = (over: Partial<Reply['fleet']> = {}): Reply['fleet'] => ({
  state: 'reporting',
  since: '',
  recordingAlarmReportedAt: null,
  ...over,
});

export const healthReply = (over: Partial<HealthReply> = {}): HealthReply => ({
  status: 'ok',
  room: { id: 'room-1', name: 'Phòng 1' },
  version: 'test',
  uptimeS: 1,
  memoryRssMb: 1,
  devices: [],
  ...over,
});
