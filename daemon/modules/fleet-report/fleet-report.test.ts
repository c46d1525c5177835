import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBook, parseManifest, sha256Hex, type BookEntry, type StoredBook } from '../../../common/evidence/index.js';
import { rfcKey, sampleBook } from '../../../common/evidence/test/chain-fixture.js';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../drivers/ptz/sim-ptz.js';
import { startTestHub, waitFor } from '../../../hub/test/hub-fixture.js';
import { createBookStore } from '../book/book-store.js';
import { createManifestWriter } from '../evidence/manifest-file.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { createHealth } from '../health/create-health.js';
import type { RecorderStatus } from '../recorder/create-recorder.js';
import { bookDirFor } from './book-delivery.js';
import { compactReport } from './compact.js';
import { createFleetReport } from './create-fleet-report.js';

// The room's reporter against a real in-process hub: health in the hub's rooms list, reception book
// entries from the console written through the real book store (sealed, anchored in the manifest),
// acknowledged, and kept pending at the hub while the room is away.

const { updatedAt: _u, ...entry } = sampleBook();
const root = mkdtempSync(join(tmpdir(), 'fleet-report-'));
const recordingsDir = join(root, 'recordings');
const bookKey = randomBytes(32);
const manifest = createManifestWriter({ recordingsDir, key: rfcKey, room: 'room-demo' });
const book = createBookStore({ recordingsDir, bookKey: () => bookKey, manifest, logger: silentLogger() });
const config = validateConfig({});
const devices = assembleDevices(
  [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
  new SimDsp({ channels: [], meterRateMs: 100 }),
  [],
  createEventBus(),
  silentLogger(),
);
/** What the recorder says; tests set the hearing it records. */
let recording: RecorderStatus = {
  state: 'idle',
  hearing: null,
  dir: null,
  segments: 0,
  bytes: 0,
  durationMs: 0,
  gaps: 0,
  lastSegment: null,
  alarm: null,
};
/** The uploader's summary: three files not forwarded, one of them refused by the archive (parked, alarm). */
const refusal = {
  hearing: 'h1.room-demo',
  file: 'seg-00078.ts',
  status: 409,
  code: 'ALREADY_ARCHIVED',
  message: 'seg-00078.ts is already archived with SHA-256 b4d8dc2b',
  at: '2025-03-04T08:00:00Z',
  retryAt: '2025-03-04T09:00:00Z',
};
const uploader = {
  summary: () => ({
    state: 'waiting' as const,
    backlogFiles: 3,
    backlogBytes: 13_000_000,
    oldestAgeS: 40,
    hubUrl: '',
    forwardedFiles: 0,
    bytesSent: 0,
    refusedFiles: 1,
    refusedBytes: 4_000_000,
    refused: [refusal],
    alarms: [
      {
        source: 'uploader' as const,
        code: 'UPLOAD_REFUSED',
        message: 'refused',
        active: true,
        file: 'h1.room-demo/seg-00078.ts',
        hubCode: 'ALREADY_ARCHIVED',
      },
    ],
  }),
};
const recorder = { status: () => recording };
const health = createHealth({ devices, room: { id: 'room-demo', name: 'Phòng thử' }, version: 'test', recorder, uploader });

let roomToken = ''; // room-demo's enrolled token at the test hub (startTestHub enrolls it)
function reporter(hubUrl: string, logger = process.env.FLEET_DEBUG ? pino({ level: 'debug' }) : silentLogger()) {
  return createFleetReport({
    hubUrl,
    secret: roomToken,
    room: { id: 'room-demo' },
    intervalMs: 60_000,
    health,
    recorder,
    book,
    logger,
  });
}

describe('fleet reporter', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const officer = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    hub.app.inject({ method, url: `/api/v1${url}`, payload });
  const bookState = async (hearing: string) => (await officer('GET', `/hearings/${hearing}/rooms/room-demo/book`)).json();
  beforeAll(async () => {
    await devices.start();
    hub = await startTestHub({ rooms: 2 });
    roomToken = hub.roomToken(1);
  });
  afterAll(async () => {
    await hub?.stop();
    await devices.stop();
  });

  it('compacts /api/v1/health', () => {
    const at = new Date('2025-03-04T08:00:00Z');
    const r = compactReport(
      {
        status: 'ok',
        room: { id: 'r', name: 'R' },
        version: '1',
        uptimeS: 3.2,
        memoryRssMb: 80,
        devices: [{ id: 'cam1', kind: 'camera', health: { state: 'online', since: '', reconnects: 0 } }],
      },
      10,
      at,
    );
    expect(r).toEqual({
      at: at.toISOString(),
      version: '1',
      uptimeS: 3.2,
      status: 'ok',
      reportSeconds: 10,
      devices: [{ id: 'cam1', kind: 'camera', state: 'online' }],
      media: null,
      gateway: null,
      recording: null,
      uploader: null,
      disk: null,
    });
  });

  it("carries the recorder's alarm (cut to the contract's lengths)", () => {
    const base = { status: 'degraded' as const, room: { id: 'r', name: 'R' }, version: '1', uptimeS: 1, memoryRssMb: 80, devices: [] };
    const rec = {
      ...recording,
      state: 'recording' as const,
      hearing: 'h.r',
      alarm: { reason: 'disk-full', message: 'x'.repeat(500), since: '2025-03-04T08:00:00.000Z' },
    };
    expect(compactReport({ ...base, recording: rec }, 10, new Date()).recording).toEqual({
      state: 'recording',
      hearing: 'h.r',
      segments: 0,
      alarm: { reason: 'disk-full', since: '2025-03-04T08:00:00.000Z', message: 'x'.repeat(300) },
    });
    expect(compactReport({ ...base, recording: { ...rec, alarm: null } }, 10, new Date()).recording?.alarm).toBeNull();
  });

  it('free disk is unknown (null), not 0, until retention has swept once', () => {
    const base = { status: 'ok' as const, room: { id: 'r', name: 'R' }, version: '1', uptimeS: 1, memoryRssMb: 80, devices: [] };
    const retention = {
      keepDays: 30,
      minFreeMb: 2048,
      freeMb: 0,
      minutesLeft: null,
      bytesPerSecond: 0,
      minutesAtRate: null,
      rateKbps: 2600,
      rateBasis: 'design' as const,
      unforwardedFiles: 0,
      deletedFiles: 0,
      lastSweepAt: '',
    };
    expect(compactReport({ ...base, retention }, 10, new Date()).disk).toBeNull();
    const swept = { ...retention, freeMb: 51_200, minutesAtRate: 2688, lastSweepAt: '2025-03-04T08:00:00Z' };
    // idle: no minutes at the recent rate (null, never 0), the free disk counted at the design rate
    expect(compactReport({ ...base, retention: swept }, 10, new Date()).disk).toEqual({
      freeMb: 51_200,
      minutesLeft: null,
      minutesAtRate: 2688,
      rateKbps: 2600,
      rateBasis: 'design',
    });
  });

  it('maps the hub hearing to the recording directory the recorder uses', () => {
    expect(bookDirFor('hearing-x-1', 'room-demo', null)).toBe('hearing-x-1.room-demo');
    expect(bookDirFor('hearing-x-1', 'room-demo', 'hearing-x-1.room-demo-r2')).toBe('hearing-x-1.room-demo-r2');
    expect(bookDirFor('hearing-x-1', 'room-demo', 'hearing-y-2.room-demo')).toBe('hearing-x-1.room-demo');
  });

  it('reports health; the hub lists it with the room', async () => {
    const r = reporter(hub.url);
    await r.start();
    try {
      await waitFor(() => r.summary().state === 'reporting', 5000, 'a report');
      const demo = (await officer('GET', '/rooms')).json().find((x: { id: string }) => x.id === 'room-demo');
      expect(demo.health).toMatchObject({
        status: 'degraded',
        stale: false,
        version: 'test',
        reportSeconds: 60,
        devices: [
          { id: 'cam1', kind: 'camera', state: 'online' },
          { id: 'audio', kind: 'audio', state: 'online' },
        ],
        uploader: { state: 'waiting', backlogFiles: 3 },
        recording: { state: 'idle' },
      });
      // refused files apart from the backlog, in the archive's words
      expect(demo.health.uploader).toMatchObject({
        refusedFiles: 1,
        refused: [{ file: 'h1.room-demo/seg-00078.ts', code: 'ALREADY_ARCHIVED', message: refusal.message }],
      });
      expect(r.summary().state).toBe('reporting');
    } finally {
      await r.stop();
    }
  });

  it('book round trip: console entry → report answer → book store on disk → ack → written; an offline room gets it when it reports again', async () => {
    const hearing = (await officer('POST', '/hearings', { title: 'Sổ tiếp dân', rooms: ['room-demo'] })).json().id;
    const dir = `${hearing}.room-demo`;
    recording = { ...recording, state: 'recording', hearing: dir, dir: join(recordingsDir, dir) };
    expect((await officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, entry)).statusCode).toBe(202);
    const r = reporter(hub.url);
    expect(await r.reportNow()).toBe(1); // handed over and written at the room
    expect(await bookState(hearing)).toMatchObject({ state: 'pending', deliveredAt: expect.any(String) });
    expect(await r.reportNow()).toBe(0); // the ack
    const written = await bookState(hearing);
    const bytes = readFileSync(join(recordingsDir, dir, 'book.json'));
    expect(written).toMatchObject({ version: 1, sha256: sha256Hex(bytes), error: null });
    expect(openBook(JSON.parse(bytes.toString()) as StoredBook, bookKey)).toMatchObject({ citizen: entry.citizen, summary: entry.summary });
    const { entries } = parseManifest(readFileSync(join(recordingsDir, dir, 'manifest.jsonl'), 'utf8'));
    expect(entries.at(-1) as BookEntry).toMatchObject({ kind: 'book', sha256: sha256Hex(bytes) });
    await r.stop();

    // The room is away: the officer's correction waits at the hub.
    await officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, { ...entry, handling: 'Chuyển cơ quan có thẩm quyền' });
    await new Promise((res) => setTimeout(res, 300));
    expect(await bookState(hearing)).toMatchObject({ state: 'pending', version: 2, deliveredAt: null });
    const back = reporter(hub.url); // e.g. the daemon restarted
    await back.start();
    try {
      await waitFor(async () => (await bookState(hearing)).state === 'written', 5000, 'v2 written');
      expect(await bookState(hearing)).toMatchObject({ version: 2 });
      expect(await book.get(dir, true)).toMatchObject({ handling: 'Chuyển cơ quan có thẩm quyền', citizen: entry.citizen });
    } finally {
      await back.stop();
      await officer('POST', `/hearings/${hearing}/end`);
    }
  });

  it('an entry written but not acknowledged before a daemon restart is acknowledged again, not written twice', async () => {
    const hearing = (await officer('POST', '/hearings', { title: 'Sổ, khởi động lại', rooms: ['room-demo'] })).json().id;
    const dir = `${hearing}.room-demo`;
    recording = { ...recording, state: 'recording', hearing: dir, dir: join(recordingsDir, dir) };
    await officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, entry);
    const first = reporter(hub.url);
    expect(await first.reportNow()).toBe(1); // written at the room…
    await first.stop(); // …and the daemon stops before its ack went out
    const lines = () =>
      readFileSync(join(recordingsDir, dir, 'manifest.jsonl'), 'utf8')
        .trim()
        .split('\n').length;
    const before = lines();
    const again = reporter(hub.url); // the restarted daemon: the hub hands the same version over again
    try {
      expect(await again.reportNow()).toBe(1);
      expect(lines()).toBe(before); // no second book entry in the manifest
      expect(await again.reportNow()).toBe(0); // the ack
      const bytes = readFileSync(join(recordingsDir, dir, 'book.json'));
      expect(await bookState(hearing)).toMatchObject({ state: 'written', version: 1, sha256: sha256Hex(bytes), error: null });
      // A different entry is still written.
      await officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, { ...entry, summary: 'Bổ sung nội dung' });
      expect(await again.reportNow()).toBe(1);
      expect(lines()).toBe(before + 1);
    } finally {
      await again.stop();
      await officer('POST', `/hearings/${hearing}/end`);
    }
  });

  it("a closed manifest at the room → failed with the room's reason", async () => {
    const hearing = (await officer('POST', '/hearings', { title: 'Đã đóng', rooms: ['room-demo'] })).json().id;
    await manifest.file(`${hearing}.room-demo`).append({ kind: 'close', end: new Date().toISOString() });
    recording = { ...recording, state: 'idle', hearing: null, dir: null };
    await officer('PUT', `/hearings/${hearing}/rooms/room-demo/book`, entry);
    const r = reporter(hub.url);
    await r.start();
    try {
      const failed = await waitFor(async () => ((await bookState(hearing)).state === 'failed' ? bookState(hearing) : null), 5000, 'failed');
      expect(failed.error).toMatch(/^409 HEARING_CLOSED/);
    } finally {
      await r.stop();
      await officer('POST', `/hearings/${hearing}/end`);
    }
  });

  it('hub away: no throw, logged at debug once per state change', async () => {
    const lines: { msg: string; to?: string }[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(JSON.parse(String(chunk))), cb()) });
    const r = reporter('http://127.0.0.1:9', pino({ level: 'debug' }, sink)); // discard port: refused
    await r.start();
    for (let i = 0; i < 3; i++) expect(await r.reportNow()).toBe(0);
    expect(r.summary()).toMatchObject({ state: 'failing', lastError: expect.any(String) });
    expect(r.health().state).toBe('offline');
    await r.stop();
    expect(lines.filter((l) => l.msg === 'fleet report state').map((l) => l.to)).toEqual(['starting', 'failing', 'stopped']);
  });
});
