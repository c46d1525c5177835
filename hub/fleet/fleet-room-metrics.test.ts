import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomReport } from '../../common/contracts/fleet.js';
import { promtoolProblems } from '../../common/metrics/test/promtool.js';
import { OFFICER_TOKEN, startTestHub } from '../test/hub-fixture.js';

// Each room's health as /metrics series (fleet-room-metrics.ts), through the real hub: a room that sends
// host, clock, worker restarts and link; an older room that sends none of them (no series, never 0);
// the report's answer carries the hub's time (the room's clock discipline); promtool finds it clean.

const GB = 1024 ** 3;
const report = (over: Partial<RoomReport> = {}): RoomReport => ({
  at: new Date().toISOString(),
  version: '1.4.2',
  uptimeS: 3600,
  status: 'ok',
  reportSeconds: 10,
  devices: [
    { id: 'cam1', kind: 'camera', state: 'online' },
    { id: 'audio', kind: 'audio', state: 'offline' },
  ],
  media: { state: 'online', source: 'primary' },
  gateway: { state: 'connected' },
  recording: { state: 'idle', hearing: null, segments: 0 },
  uploader: { state: 'waiting', backlogFiles: 4, backlogBytes: 5_000_000, oldestAgeS: 4000 },
  disk: { freeMb: 10 * 1024, minutesLeft: null, minutesAtRate: 525, rateKbps: 2600, rateBasis: 'design' },
  host: {
    sampledAt: new Date().toISOString(),
    cpuPercent: 37.5,
    load1: 0.8,
    cores: 4,
    memTotalMb: 8192,
    memAvailableMb: 5120,
    tempC: 51,
    tempMaxC: 63.5,
    disks: [],
    net: [],
  },
  clock: { offsetMs: -1500, rttMs: 12, measuredAt: new Date().toISOString(), source: 'hub', alarm: true },
  workerRestarts: { lastHour: 4, total: 9 },
  link: { rttMs: 42, lossPercent: null },
  ...over,
});

describe('hub /metrics: each room', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let text = '';
  const post = (n: number, body: object) =>
    hub.app.inject({
      method: 'POST',
      url: `/api/v1/fleet/rooms/${n === 1 ? 'room-demo' : `room-${n}`}/report`,
      headers: { authorization: `Bearer ${hub.roomToken(n)}` },
      payload: body,
    });
  beforeAll(async () => {
    hub = await startTestHub({ allowLoopbackOfficers: false });
    const before = Date.now();
    const answer = await post(1, report());
    expect(answer.statusCode, answer.body).toBe(200);
    const hubTime = Date.parse(answer.json().hubTime);
    expect(hubTime).toBeGreaterThanOrEqual(before);
    expect(hubTime).toBeLessThanOrEqual(Date.now());
    // An older room: none of the issue 13 fields.
    const { host: _h, clock: _c, workerRestarts: _w, link: _l, ...older } = report({ version: '1.3.0' });
    expect((await post(2, { ...older, disk: null, uploader: null })).statusCode).toBe(200);
    text = (await hub.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })).body;
  });
  afterAll(() => hub?.stop());

  it('the values of the reporting room, in base units', () => {
    const want = {
      'reception_room_up{room="room-demo"}': 1,
      'reception_room_info{room="room-demo",version="1.4.2"}': 1,
      'reception_room_cpu_percent{room="room-demo"}': 37.5,
      'reception_room_memory_available_bytes{room="room-demo"}': 5 * GB,
      'reception_room_memory_total_bytes{room="room-demo"}': 8 * GB,
      'reception_room_temperature_max_celsius{room="room-demo"}': 63.5,
      'reception_room_recordings_free_bytes{room="room-demo"}': 10 * GB,
      'reception_room_recording_seconds_left{room="room-demo"}': 525 * 60, // idle: minutesAtRate
      'reception_room_upload_backlog_oldest_age_seconds{room="room-demo"}': 4000,
      'reception_room_clock_offset_seconds{room="room-demo"}': -1.5,
      'reception_room_link_rtt_seconds{room="room-demo"}': 0.042,
      'reception_room_worker_restarts_last_hour{room="room-demo"}': 4,
      'reception_room_worker_restarts_total{room="room-demo"}': 9,
      'reception_room_device_up{room="room-demo",device="cam1",kind="camera"}': 1,
      'reception_room_device_up{room="room-demo",device="audio",kind="audio"}': 0,
    };
    for (const [series, value] of Object.entries(want)) expect(text, series).toContain(`\n${series} ${value}\n`);
    expect(text).toContain('# TYPE reception_room_worker_restarts_total counter');
  });

  it('an older room: up and version, but no series for what it did not send (unknown is not 0)', () => {
    expect(text).toContain('\nreception_room_up{room="room-2"} 1\n');
    expect(text).toContain('\nreception_room_info{room="room-2",version="1.3.0"} 1\n');
    for (const name of ['cpu_percent', 'clock_offset_seconds', 'worker_restarts_total', 'recordings_free_bytes', 'link_rtt_seconds'])
      expect(text).not.toMatch(new RegExp(`^reception_room_${name}\\{room="room-2"\\}`, 'm'));
  });

  it('a room never heard of since the hub started has no series', () => {
    expect(text).not.toContain('room="room-3"');
  });

  it('passes promtool check metrics', () => {
    expect(promtoolProblems(text)).toEqual([]);
  });
});
