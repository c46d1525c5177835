import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../drivers/ptz/sim-ptz.js';
import { startTestHub } from '../../../hub/test/hub-fixture.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { createHealth } from '../health/create-health.js';
import { createFleetReport } from '../fleet-report/create-fleet-report.js';
import { clockReading } from './clock-offset.js';
import { createClock } from './create-clock.js';

// Clock discipline: the offset arithmetic, then a room whose clock is 2 s behind reporting to a real
// in-process hub — measured from the hub's time in the answer, alarmed in GET /api/v1/health, carried to
// the hub (rooms list, /metrics) with the next report, and cleared once the clock is right again.
// Worker restarts in the last hour ride the same report.

describe('clockReading (NTP-style, midpoint of the round trip)', () => {
  it('offset = reference − (t0 + t1) / 2; alarm strictly past 1 s either way', () => {
    expect(clockReading(1000, 1100, 2050, 'hub')).toMatchObject({ offsetMs: 1000, rttMs: 100, alarm: false });
    expect(clockReading(1000, 1100, 2051, 'hub')).toMatchObject({ offsetMs: 1001, alarm: true });
    expect(clockReading(5000, 5020, 3000, 'ntp')).toMatchObject({ offsetMs: -2010, rttMs: 20, alarm: true, source: 'ntp' });
    expect(clockReading(5000, 5000, 5000, 'hub', 0)).toMatchObject({ offsetMs: 0, alarm: false });
  });
  it('refuses a reading the room clock broke (stepped back mid-request) or a missing time, naming why', () => {
    expect(() => clockReading(2000, 1000, 1500, 'hub')).toThrow(/answer before request.*stepped/);
    expect(() => clockReading(1000, 1100, Number.NaN, 'hub')).toThrow(/reference time must be numbers/);
  });
});

describe('a room 2 s behind the hub', () => {
  const bus = createEventBus();
  const config = validateConfig({});
  const devices = assembleDevices(
    [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
    new SimDsp({ channels: [], meterRateMs: 100 }),
    [],
    bus,
    silentLogger(),
  );
  let skewMs = -2000;
  const clock = createClock({ logger: silentLogger(), now: () => Date.now() + skewMs });
  let restarts = 0; // the media worker's count since the daemon started, as create-media's status() says
  const media = {
    health: () => ({ state: 'online' as const, since: new Date().toISOString(), reconnects: restarts }),
    status: () => ({ source: 'primary', restarts }),
  };
  const health = createHealth({ devices, room: { id: 'room-demo', name: 'Phòng thử' }, version: 'test', media, clock });
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let fleet: ReturnType<typeof createFleetReport>;
  const roomHealth = async () =>
    (await hub.app.inject({ url: '/api/v1/rooms' })).json().find((r: { id: string }) => r.id === 'room-demo').health;
  beforeAll(async () => {
    await devices.start();
    hub = await startTestHub({ rooms: 1 });
    fleet = createFleetReport({
      hubUrl: hub.url,
      secret: hub.roomToken(1),
      room: { id: 'room-demo' },
      intervalMs: 60_000,
      health,
      book: { put: async () => ({}) as never, current: async () => null },
      bus,
      clock,
      logger: silentLogger(),
    });
    await clock.start();
    await fleet.start();
  });
  afterAll(async () => {
    await fleet?.stop();
    await hub?.stop();
    await devices.stop();
  });

  it('measures the offset from the answer, alarms in /health, and the next report tells the hub', async () => {
    await fleet.reportNow();
    const r = clock.summary();
    expect(r).not.toBeNull();
    // The hub stamped its time within the round trip: the true offset (+2000) is within ± rtt/2 of the reading.
    expect(Math.abs(r!.offsetMs - 2000)).toBeLessThanOrEqual(r!.rttMs / 2 + 2);
    expect(r).toMatchObject({ source: 'hub', alarm: true });
    expect(health.snapshot().clock).toEqual(r);
    await fleet.reportNow(); // carries the last measurement
    expect((await roomHealth()).clock).toMatchObject({ offsetMs: r!.offsetMs, alarm: true, source: 'hub' });
    const metrics = (await hub.app.inject({ url: '/metrics' })).body;
    const offset = Number(/^reception_room_clock_offset_seconds\{room="room-demo"\} (\S+)$/m.exec(metrics)?.[1]);
    expect(offset).toBeGreaterThan(1.9);
  });

  it('a right clock clears the alarm', async () => {
    skewMs = 0;
    await fleet.reportNow();
    expect(clock.summary()).toMatchObject({ alarm: false });
    expect(Math.abs(clock.summary()!.offsetMs)).toBeLessThanOrEqual(clock.summary()!.rttMs / 2 + 2);
    await fleet.reportNow();
    expect((await roomHealth()).clock.alarm).toBe(false);
  });

  it('worker restarts: the last hour from the bus, the total from the media module', async () => {
    for (let i = 0; i < 4; i++) {
      restarts++;
      bus.emit('media', { kind: 'restart', restarts, reason: 'test: worker killed', delayMs: 0 });
    }
    await fleet.reportNow();
    expect((await roomHealth()).workerRestarts).toEqual({ lastHour: 4, total: 4 });
    expect((await hub.app.inject({ url: '/metrics' })).body).toMatch(/^reception_room_worker_restarts_last_hour\{room="room-demo"\} 4$/m);
  });
});
