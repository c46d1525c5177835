import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApplianceKey } from '../../../../common/evidence/index.js';
import { silentLogger } from '../../../../common/log.js';
import { startTestHub, waitFor } from '../../../../hub/test/hub-fixture.js';
import { validateConfig } from '../../../config/load-config.js';
import type { DaemonToWorker, WorkerToDaemon } from '../../../drivers/media/worker-protocol.js';
import { SimDsp } from '../../../drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../../drivers/ptz/sim-ptz.js';
import { buildApi } from '../../api/create-api.js';
import { createAuditLog } from '../../audit/audit-log.js';
import { createBookStore } from '../../book/book-store.js';
import { createManifestWriter } from '../../evidence/manifest-file.js';
import { assembleDevices } from '../../devices/create-devices.js';
import { createEventBus } from '../../events/event-bus.js';
import { createGatewayLink } from '../../gateway-link/gateway-link.js';
import { createHealth } from '../../health/create-health.js';
import { createHearings } from '../../hearings/create-hearings.js';
import { createKioskSessions } from '../../kiosk/kiosk-sessions.js';
import { createRecorder } from '../../recorder/create-recorder.js';
import { createFleetReport } from '../create-fleet-report.js';

// A room with the real recorder, hearings (a local hearing: no gateway), API (kiosk page included),
// fleet reporter (60 s period: a report that arrives sooner was sent on the alarm) and a real
// in-process hub. The media worker process is the one
// part left out: its IPC channel is an EventEmitter here, so the test says what the worker says when
// its recording pipeline fails (recorder-disk-full.test.ts shows the real worker saying it on a full disk).

export const ROOM = { id: 'room-demo', name: 'Phòng thử' };
export const REPORT_MS = 60_000;

export async function startRecordingAlarmRig(opts: { listen?: boolean } = {}) {
  const config = validateConfig({});
  const root = mkdtempSync(join(tmpdir(), 'recording-alarm-'));
  const recordingsDir = join(root, 'recordings');
  const bus = createEventBus();
  const devices = assembleDevices(
    [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
    new SimDsp({ channels: [], meterRateMs: 100 }),
    [],
    bus,
    silentLogger(),
  );
  const sent: DaemonToWorker[] = [];
  const worker = {
    events: new EventEmitter<{ message: [WorkerToDaemon]; state: [string] }>(),
    send: (m: DaemonToWorker) => (sent.push(m), true),
  };
  const key = generateApplianceKey();
  const recorder = createRecorder({
    config: { enabled: true, segmentSeconds: 2 },
    recordingsDir,
    room: ROOM,
    key: () => key,
    worker,
    onAir: () => 'primary',
    bus,
    logger: silentLogger(),
  });
  const manifest = createManifestWriter({ recordingsDir, key: () => key, room: ROOM.id });
  const bookKey = randomBytes(32);
  const book = createBookStore({ recordingsDir, bookKey: () => bookKey, manifest, logger: silentLogger() });
  const gateway = createGatewayLink({ url: 'http://127.0.0.1:9', stateToken: 'none', bus, logger: silentLogger() }); // never started: 'down'
  const hearings = createHearings({ stateFile: join(root, 'hearings.json'), gateway, bus, logger: silentLogger() });
  const hub = await startTestHub({ rooms: 1 });
  const health = createHealth({ devices, room: ROOM, version: 'test', recorder, fleet: () => fleet });
  const fleet = createFleetReport({
    hubUrl: hub.url,
    secret: hub.roomToken(1), // room-demo's enrolled token
    room: ROOM,
    intervalMs: REPORT_MS,
    health,
    recorder,
    book,
    bus,
    logger: silentLogger(),
  });
  const app = await buildApi({
    host: '127.0.0.1',
    port: 0,
    room: ROOM,
    version: 'test',
    access: { loopbackRole: 'monitor', tokens: [] },
    audit: createAuditLog(join(root, 'audit.jsonl')),
    devices,
    bus,
    logger: silentLogger(),
    hearings,
    recorder,
    health,
    kiosk: {
      sessions: createKioskSessions(config.kiosk),
      settings: config.kiosk,
      gateway: { host: '127.0.0.1', port: 9 },
      bridgeSecret: randomBytes(32),
    }, // no gateway: the page shows "reconnecting"
  });
  if (opts.listen) await app.listen({ host: '127.0.0.1', port: 0 });
  else await app.ready();

  await devices.start();
  await recorder.start();
  worker.events.emit('state', 'running');
  await hearings.start();
  await fleet.start();
  await hearings.startLocal('Phiên thử ổ đĩa đầy'); // as an officer does on the kiosk
  await waitFor(() => recorder.status().state === 'recording' && sent.some((m) => m.type === 'record'), 10_000, 'the recording to open');
  const dir = recorder.status().dir!;
  const recording = recorder.status().hearing!;
  let index = 0;
  const file = () => join(dir, `seg-${String(index).padStart(5, '0')}.ts`);

  /** Officer's view of the room at the hub (GET /api/v1/rooms). */
  const hubRoom = async () =>
    (
      (await hub.app.inject({ url: '/api/v1/rooms' })).json() as {
        id: string;
        health: { recording: { alarm?: { reason: string } | null } | null } | null;
      }[]
    ).find((r) => r.id === ROOM.id);
  return {
    app,
    hub,
    fleet,
    recorder,
    bus,
    hubRoom,
    url: () => {
      const a = app.server.address();
      return a && typeof a === 'object' ? `http://127.0.0.1:${a.port}` : '';
    },
    health: async () => (await app.inject({ url: '/api/v1/health' })).json(),
    metrics: async () => (await hub.app.inject({ url: '/metrics' })).body,
    /** What the worker says when splitmuxsink cannot write (ENOSPC); it retries by itself with backoff. */
    diskFull: () =>
      worker.events.emit('message', {
        type: 'record-error',
        hearing: recording,
        file: file(),
        element: 'splitmuxsink',
        message: `Error while writing to file "${file()}": No space left on device`,
        retryInMs: 1000,
      }),
    /** Space again: the retry's first segment closes. */
    segmentClosed: () => {
      index++;
      const end = new Date();
      worker.events.emit('message', {
        type: 'segment-closed',
        hearing: recording,
        file: file(),
        start: new Date(end.getTime() - 2000).toISOString(),
        end: end.toISOString(),
      });
    },
    async stop() {
      await hearings.endCurrent('test');
      await recorder.idle();
      await fleet.stop();
      await hearings.stop();
      await recorder.stop();
      await app.close();
      await hub.stop();
      await devices.stop();
    },
  };
}
