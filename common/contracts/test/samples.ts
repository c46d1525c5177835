import { signReceipt } from '../../evidence/index.js';
import { rfcKey, sampleBook } from '../../evidence/test/chain-fixture.js';

// One realistic message per contract schema, as its producer sends it (contracts.test.ts round-trips
// each through JSON and its schema, and breaks each once).

const at = '2026-03-04T08:00:00.000Z';
const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const participant = { id: 'room-1', kind: 'room' as const, name: 'Phòng tiếp dân 1' };
const hearing = {
  id: 'hearing-7',
  title: 'Ông A — khiếu nại đất đai',
  participants: [participant, { id: 'officer-1', kind: 'officer' as const, name: 'Cán bộ B' }],
};
const device = { state: 'online' as const, since: at, reconnects: 0 };

export const clientMessages = [
  { type: 'hello', protocol: 1, kind: 'room', id: 'room-1', name: 'Phòng tiếp dân 1' },
  { type: 'publish-offer', sdp, iceRestart: false },
  { type: 'subscribe-answer', sid: 's1', sdp },
  { type: 'resubscribe', sid: 's1' },
  { type: 'ping', at: 1_700_000_000_000 },
];

export const hubMessages = [
  { type: 'welcome', participant, hearing },
  { type: 'publish-answer', sdp },
  { type: 'subscribe-offer', sid: 's1', publisher: participant, sdp },
  { type: 'unsubscribe', sid: 's1' },
  { type: 'hearing', hearing: null },
  { type: 'keyframe-request' },
  { type: 'pong', at: 1_700_000_000_000 },
  { type: 'error', code: 'BAD_MESSAGE', message: 'invalid message', fatal: false },
];

export const roomReport = {
  at,
  version: '0.1.0',
  uptimeS: 3600.5,
  status: 'degraded',
  reportSeconds: 10,
  devices: [
    { id: 'cam1', kind: 'camera', state: 'online' },
    { id: 'audio', kind: 'audio', state: 'offline' },
  ],
  media: { state: 'online', source: 'primary' },
  gateway: { state: 'connected' },
  recording: {
    state: 'recording',
    hearing: 'hearing-7.room-1',
    segments: 42,
    alarm: { reason: 'disk-full', since: at, message: 'No space left on device' },
  },
  uploader: {
    state: 'waiting',
    backlogFiles: 3,
    backlogBytes: 12_400_000,
    oldestAgeS: 60,
    refusedFiles: 1,
    refused: [{ file: 'hearing-7.room-1/seg-00078.ts', code: 'ALREADY_ARCHIVED', message: 'other bytes' }],
  },
  disk: { freeMb: 20_480, minutesLeft: null },
  acks: [{ hearing: 'hearing-7', version: 2, ok: true, sha256: 'a'.repeat(64) }],
};

export const reportAnswer = { book: [{ hearing: 'hearing-7', entry: (({ updatedAt: _, ...input }) => input)(sampleBook()), version: 2 }] };

export const receipt = () =>
  signReceipt(
    { hearing: 'hearing-7.room-1', file: 'seg-00001.ts', sha256: 'b'.repeat(64), bytes: 1_048_576, receivedAt: at },
    rfcKey().privateKeyPem,
  );
export const uploadHeaders = { 'upload-offset': 0, 'upload-length': 1_048_576, 'upload-sha256': 'b'.repeat(64) };
export const archiveKey = { alg: 'Ed25519', publicKey: 'MCowBQYDK2VwAyEA' };

export const gatewayStatus = {
  state: 'connected',
  since: at,
  rttMs: 41,
  hubUrl: 'wss://hub.example:8090/api/v1/signal',
  room: 'room-1',
  eventLoop: { p99Ms: 12.5, maxMs: 40.1 },
  hearing,
  remotes: [{ sid: 's1', participant: hearing.participants[1], packetsReceived: 1200, connection: 'connected' }],
  counters: {
    reconnects: 1,
    freshPublishConnections: 0,
    packetsSent: 5000,
    packetsFromWorker: 5004,
    keyframeRequests: 2,
    malformedMessages: 0,
  },
};

export const healthReply = {
  status: 'ok',
  room: { id: 'room-1', name: 'Phòng tiếp dân 1' },
  version: '0.1.0',
  uptimeS: 12.3,
  memoryRssMb: 80,
  devices: [
    { id: 'cam1', kind: 'camera', health: device },
    { id: 'audio', kind: 'audio', health: { ...device, state: 'offline', lastError: 'timeout' } },
  ],
  media: { health: device, source: 'primary', restarts: 0 },
  gateway: { state: 'down', since: at, reason: 'gateway unreachable' },
  recording: {
    state: 'recording',
    hearing: 'hearing-7.room-1',
    dir: '/var/lib/reception/recordings/hearing-7.room-1',
    segments: 3,
    bytes: 3_000_000,
    durationMs: 6000,
    gaps: 0,
    lastSegment: { file: 'seg-00003.ts', end: at, durationMs: 2000 },
    alarm: null,
  },
  uploader: {
    state: 'idle',
    backlogFiles: 0,
    backlogBytes: 0,
    refusedFiles: 0,
    refusedBytes: 0,
    refused: [],
    oldestAgeS: 0,
    hubUrl: 'http://hub:8090',
    forwardedFiles: 4,
    bytesSent: 4_000_000,
    alarms: [],
  },
  retention: {
    keepDays: 30,
    minFreeMb: 2048,
    freeMb: 20_480,
    minutesLeft: null,
    bytesPerSecond: 0,
    minutesAtRate: 1075,
    rateKbps: 2600,
    rateBasis: 'design',
    unforwardedFiles: 0,
    deletedFiles: 0,
    lastSweepAt: at,
  },
  fleet: { state: 'reporting', since: at, lastReportAt: at, recordingAlarmReportedAt: null },
};

export const currentHearing = { hearing: { id: 'hearing-7', title: 'Ông A', source: 'hub', startedAt: at } };
export const kioskInfo = {
  room: { id: 'room-1', name: 'Phòng 1' },
  gateway: { kioskSignalUrl: 'ws://127.0.0.1:8081/kiosk/signal' },
  pinConfigured: true,
  autoLockSeconds: 120,
  sessionMinutes: 30,
};
export const kioskUnlocked = { token: 't'.repeat(43), role: 'officer', expiresAt: at };
export const camera = { id: 'cam1', name: 'Camera chính', driver: 'onvif', health: device };
export const preset = { token: 'p1', name: 'Bàn công dân', position: { pan: 0.1, tilt: -0.2, zoom: 0.5 } };
export const channel = { id: 'mic1', name: 'Micro công dân', muted: false, levelDb: null };
export const gatewayReply = { state: 'connected', since: at, rttMs: 41, detail: gatewayStatus };

/** The smallest report a room sends (nothing sampled yet, now); `over` adds what a test is about. */
export const bareReport = (over: Record<string, unknown> = {}) => ({
  at: new Date().toISOString(),
  version: '0.1.0',
  uptimeS: 1,
  status: 'ok' as const,
  reportSeconds: 10,
  devices: [],
  media: null,
  gateway: null,
  recording: null,
  uploader: null,
  disk: null,
  ...over,
});
