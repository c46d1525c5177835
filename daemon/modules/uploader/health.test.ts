import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { SimPtz } from '../../drivers/ptz/sim-ptz.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { createAuditLog } from '../audit/audit-log.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { buildApi } from '../api/create-api.js';
import { createHealth } from '../health/create-health.js';
import { createRetention } from '../retention/create-retention.js';
import { FakeHearing, tmp } from '../../../hub/archive/test/fake-hearing.js';
import { createUploader } from './create-uploader.js';
import { uploaderSettings } from './settings.js';
import { waitFor } from '../../../hub/test/hub-fixture.js';

// /api/v1/health shows the backlog (hub unreachable here) and the disk state; alarms degrade the room.

describe('uploader + retention in /api/v1/health', () => {
  it('derives the hub URL from gateway.hubUrl', () => {
    const c = validateConfig({ gateway: { hubUrl: 'wss://hub.example.vn:8443/api/v1/signal' } });
    expect(uploaderSettings(c.uploader, c.gateway).hubUrl).toBe('https://hub.example.vn:8443');
    expect(uploaderSettings({ ...c.uploader, hubUrl: 'http://10.0.0.5:8090/' }, c.gateway).hubUrl).toBe('http://10.0.0.5:8090');
  });

  it('reports backlog, waiting state and a disk alarm', async () => {
    const config = validateConfig({});
    const bus = createEventBus();
    const devices = assembleDevices(
      [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
      new SimDsp({ channels: [], meterRateMs: 100 }),
      [],
      bus,
      silentLogger(),
    );
    await devices.start();
    const rec = tmp('rec-');
    const state = tmp('state-');
    const h = await new FakeHearing(rec, 'h', 'room-demo').open();
    await h.segment(1000);
    const uploader = createUploader({
      recordings: rec,
      stateDir: state,
      hubUrl: 'http://127.0.0.1:9',
      secret: 's',
      chunkBytes: 1 << 20,
      maxBackoffMs: 200,
      manifestIntervalMs: 0,
      rescanMs: 60_000,
      bus,
      logger: silentLogger(),
    });
    const retention = createRetention({
      recordings: rec,
      stateDir: state,
      keepDays: 30,
      minFreeMb: 10,
      intervalMs: 60_000,
      bus,
      logger: silentLogger(),
      statfs: async () => ({ bsize: 1, bavail: 1000 }),
    });
    await uploader.start();
    await retention.start();
    const app = await buildApi({
      host: '127.0.0.1',
      port: 0,
      room: { id: 'r', name: 'r' },
      version: 't',
      access: { loopbackRole: 'technician', tokens: [] },
      audit: createAuditLog(join(state, 'audit.jsonl')),
      devices,
      bus,
      health: createHealth({ devices, room: { id: 'r', name: 'r' }, version: 't', uploader, retention }),
      logger: silentLogger(),
    });
    try {
      await waitFor(() => uploader.summary().state === 'waiting', 5000, 'waiting');
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.uploader).toMatchObject({
        state: 'waiting',
        backlogFiles: 2,
        refusedFiles: 0,
        refusedBytes: 0,
        refused: [],
        hubUrl: 'http://127.0.0.1:9',
      });
      expect(body.retention).toMatchObject({ minFreeMb: 10, unforwardedFiles: 1 });
      expect(body.retention.alarm).toMatch(/free disk/);
      expect(body.status).toBe('degraded');
    } finally {
      await app.close();
      await uploader.stop();
      await retention.stop();
      await devices.stop();
    }
  });
});
