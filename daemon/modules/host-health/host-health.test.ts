import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import { RoomReport } from '../../../common/contracts/fleet.js';
import { HostSample } from '../../../common/contracts/host.js';
import { silentLogger } from '../../../common/log.js';
import { until } from '../../../tests/helpers/until.js';
import { validateConfig } from '../../config/load-config.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../drivers/ptz/sim-ptz.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { compactReport } from '../fleet-report/compact.js';
import { createHealth } from '../health/create-health.js';
import { createHostHealth } from './create-host-health.js';

// The real sampler thread (systeminformation on this box) behind the module; its sample in the room's
// health and, as it is, in the fleet report.

describe('host-health module', () => {
  it('samples the box on its own thread; the sample reaches GET /api/v1/health and the fleet report; stop ends it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-health-'));
    const host = createHostHealth({
      paths: { recordings: join(dir, 'recordings-not-made-yet'), state: dir },
      intervalMs: 300,
      logger: silentLogger(),
    });
    expect(host.summary()).toBeNull();
    await host.start();
    try {
      const first = await until('a host sample', 20_000, () => host.summary());
      expect(Value.Errors(HostSample, first).First()).toBeUndefined();
      expect(host.health().state).toBe('online');
      expect(first.cores).toBeGreaterThanOrEqual(1);
      expect(first.memTotalMb).toBeGreaterThan(first.memAvailableMb * 0.5);
      // A directory not made yet counts on its nearest existing parent's file system.
      expect(first.disks.flatMap((d) => d.holds).sort()).toEqual(['recordings', 'state']);
      await until('a second, newer sample', 20_000, () => host.summary()!.sampledAt > first.sampledAt);

      const config = validateConfig({});
      const devices = assembleDevices(
        [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
        new SimDsp({ channels: [], meterRateMs: 100 }),
        [],
        createEventBus(),
        silentLogger(),
      );
      const reply = createHealth({ devices, room: { id: 'r1', name: 'Phòng 1' }, version: 'v', host }).snapshot();
      expect(Value.Errors(HealthReply, reply).First()).toBeUndefined();
      expect(reply.host).toEqual(host.summary());
      const report = compactReport(reply, 10, new Date());
      expect(report.host).toEqual(reply.host);
      expect(Value.Errors(RoomReport, report).First()).toBeUndefined();
    } finally {
      await host.stop();
    }
    expect(host.health().state).toBe('stopped');
    const last = host.summary()!.sampledAt;
    await new Promise((r) => setTimeout(r, 900));
    expect(host.summary()!.sampledAt).toBe(last); // the thread is gone: no sample after stop
  }, 60_000);

  it('a daemon without the module (tests, tools) leaves host out of its health and its report, as an older room does', () => {
    const config = validateConfig({});
    const devices = assembleDevices(
      [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
      new SimDsp({ channels: [], meterRateMs: 100 }),
      [],
      createEventBus(),
      silentLogger(),
    );
    const reply = createHealth({ devices, room: { id: 'r1', name: 'R' }, version: 'v' }).snapshot();
    expect(reply).not.toHaveProperty('host');
    expect(compactReport(reply, 10, new Date())).not.toHaveProperty('host');
  });

  it("GET /api/v1/health's serializer keeps the sample and its nulls (HealthReply response schema)", async () => {
    const app = Fastify();
    const host = {
      sampledAt: '2026-01-05T08:00:00.000Z',
      cpuPercent: 3,
      load1: 0.4,
      cores: 2,
      memTotalMb: 100,
      memAvailableMb: 50,
      tempC: null,
      tempMaxC: null,
      disks: [],
      net: [{ iface: 'eth0', up: true, state: 'up', type: 'wired', default: true, speedMbps: null, rxKbps: null, txKbps: null }],
    };
    const reply = { status: 'ok', room: { id: 'r', name: 'R' }, version: 'v', uptimeS: 1, memoryRssMb: 1, devices: [], host };
    app.get('/h', { schema: { response: { 200: HealthReply } } }, async () => reply);
    app.get('/none', { schema: { response: { 200: HealthReply } } }, async () => ({ ...reply, host: null }));
    expect((await app.inject('/h')).json().host).toEqual(host);
    expect((await app.inject('/none')).json().host).toBeNull();
    await app.close();
  });
});
