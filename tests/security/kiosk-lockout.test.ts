import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { validateConfig } from '../../daemon/config/load-config.js';
import { SimDsp } from '../../daemon/drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../daemon/drivers/ptz/sim-ptz.js';
import { assembleDevices } from '../../daemon/modules/devices/create-devices.js';
import { createEventBus } from '../../daemon/modules/events/event-bus.js';
import { compactReport } from '../../daemon/modules/fleet-report/compact.js';
import { createHealth } from '../../daemon/modules/health/create-health.js';
import { createKioskSessions } from '../../daemon/modules/kiosk/kiosk-sessions.js';
import { OFFICER_TOKEN, roomId, startTestHub } from '../../hub/test/hub-fixture.js';

// Issue 10 item 7: the kiosk PIN lockout reset after each minute (5 guesses a minute forever) and nobody
// outside the room knew. An attacker at the touch screen now waits twice as long after each lockout of a
// streak, and the lockout is in the room's health: "degraded" while it lasts, carried by the fleet report
// to the hub, where officers see it and /metrics raises it (reception_room_kiosk_locked, _lockouts).

describe('kiosk PIN guessing: exponential lockout, seen at the hub', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 1, allowLoopbackOfficers: false });
  });
  afterAll(() => hub.stop());

  it('guessing locks out longer each time; the room is degraded and the hub shows the lockout', async () => {
    const clock = { t: Date.now() };
    const sessions = createKioskSessions({
      pinHash: createHash('sha256').update('2468').digest('hex'),
      sessionMinutes: 10,
      lockAfterFailures: 5,
      lockoutSeconds: 60,
      now: () => clock.t,
    });
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) {
        const r = await sessions.unlock(String(1000 + round * 10 + i));
        if (!r.ok && r.reason === 'locked') waits.push(r.retryAfterS);
      }
      if (round < 3) clock.t += waits.at(-1)! * 1000; // wait the lockout out, guess again
    }
    expect(waits).toEqual([60, 120, 240, 480]);

    const config = validateConfig({});
    const devices = assembleDevices(
      [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
      new SimDsp({ channels: [], meterRateMs: 100 }),
      [],
      createEventBus(),
      silentLogger(),
    );
    await devices.start();
    try {
      const health = createHealth({ devices, room: { id: roomId(1), name: 'Phòng thử' }, version: 'test', kiosk: sessions });
      const h = health.snapshot();
      expect(h.kiosk).toMatchObject({ locked: true, lockouts: 4 });
      expect(h.status).toBe('degraded');

      const report = compactReport(h, 15, new Date());
      const sent = await hub.app.inject({
        method: 'POST',
        url: `/api/v1/fleet/rooms/${roomId(1)}/report`,
        headers: { authorization: `Bearer ${hub.roomToken(1)}` },
        payload: report,
      });
      expect(sent.statusCode).toBe(200);
      const rooms = (
        await hub.app.inject({ url: '/api/v1/fleet/rooms', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })
      ).json() as { id: string; health: { kiosk?: unknown } | null }[];
      expect(rooms.find((r) => r.id === roomId(1))?.health?.kiosk).toMatchObject({ locked: true, lockouts: 4 });
      // …and the hub's metrics carry it, so an alert rule can page someone (not only a console glance).
      const metrics = (await hub.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })).body;
      expect(metrics).toContain(`reception_room_kiosk_locked{room="${roomId(1)}"} 1`);
      expect(metrics).toContain(`reception_room_kiosk_lockouts{room="${roomId(1)}"} 4`);
    } finally {
      await devices.stop();
    }
  });
});
