import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../drivers/ptz/sim-ptz.js';
import { buildApi } from '../api/create-api.js';
import { createAuditLog } from '../audit/audit-log.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { createMedia } from './create-media.js';

// The routes the room's own gateway calls (keyframe on PLI/FIR, live-rate from congestion control) with the
// shipped access defaults (loopbackRole monitor, the gateway holds no token): loopback reaches the media
// module (503 here: no worker), the network is refused even with a token. Before: /keyframe needed an
// officer, so every gateway request was refused 403 and no keyframe was ever forced.

const TOKEN = 'monitor-token-for-test';
let app: Awaited<ReturnType<typeof buildApi>>;
beforeAll(async () => {
  const config = validateConfig({ media: { enabled: false } });
  const bus = createEventBus();
  const devices = assembleDevices(
    [{ config: config.cameras[0], driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
    new SimDsp({ channels: [], meterRateMs: 1000 }),
    [],
    bus,
    silentLogger(),
  );
  app = await buildApi({
    host: '127.0.0.1',
    port: 0,
    room: config.room,
    version: 'test',
    access: {
      loopbackRole: config.access.loopbackRole,
      tokens: [{ name: 'wall-screen', role: 'monitor', sha256: createHash('sha256').update(TOKEN).digest('hex') }],
    },
    audit: createAuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl')),
    devices,
    bus,
    media: createMedia({ config: config.media, room: config.room, cameras: devices.cameras, bus, logger: silentLogger() }),
    logger: silentLogger(),
  });
});
afterAll(() => app?.close());

describe("the gateway's routes with the default access", () => {
  it('loopback without a token reaches the media module (keyframe, live-rate)', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/media/keyframe' })).statusCode).toBe(503);
    const lr = await app.inject({ method: 'POST', url: '/api/v1/media/live-rate', payload: { kbps: 700 } });
    expect(lr.statusCode).toBe(200);
    expect(lr.json()).toEqual({ ok: true, delivered: false }); // no worker running
    expect((await app.inject({ method: 'POST', url: '/api/v1/media/live-rate', payload: { kbps: null } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/media/live-rate', payload: { kbps: 'fast' } })).statusCode).toBe(400);
  });

  it('a monitor token from the network is refused', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    for (const [url, payload] of [
      ['/api/v1/media/keyframe', undefined],
      ['/api/v1/media/live-rate', { kbps: 200 }],
    ] as const) {
      const r = await app.inject({ method: 'POST', url, payload, headers, remoteAddress: '10.20.30.40' });
      expect(r.statusCode).toBe(403);
    }
  });
});
