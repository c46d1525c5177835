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
import { ensureWorkerBuilt } from './ensure-built.js';
import { until } from '../../../tests/helpers/until.js';
import { rtpProbe } from './rtp-probe.js';

// The /api/v1/media routes over the real media module: first with no worker (503s), then with a
// worker running slate-only, as the embedded default config does (sim cameras have no RTSP).

async function apiWith(enabled: boolean, videoRtpPort = 5004, audioRtpPort = 5006) {
  const config = validateConfig({ media: { enabled, videoRtpPort, audioRtpPort } });
  const bus = createEventBus();
  const cam = new SimPtz({ id: 'cam1', timeoutMs: 1500 });
  const devices = assembleDevices(
    [{ config: config.cameras[0], driver: cam }],
    new SimDsp({ channels: [], meterRateMs: 1000 }),
    [],
    bus,
    silentLogger(),
  );
  const media = createMedia({ config: config.media, room: config.room, cameras: devices.cameras, bus, logger: silentLogger() });
  const audit = createAuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl'));
  const app = await buildApi({
    host: '127.0.0.1',
    port: 0,
    room: config.room,
    version: 'test',
    access: { loopbackRole: 'technician', tokens: [] },
    audit,
    devices,
    bus,
    media,
    logger: silentLogger(),
  });
  await app.ready();
  return { app, media, close: async () => (await app.close(), await media.stop()) };
}

describe('media API without a worker', () => {
  let t: Awaited<ReturnType<typeof apiWith>>;
  beforeAll(async () => (t = await apiWith(false)));
  afterAll(async () => t.close());

  it('reports the state, refuses controls with 503 and bad values with 400', async () => {
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/media/status' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ state: 'disabled', source: null, restarts: 0 });
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/media/source', payload: { source: 'tv' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toMatch(/source/);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/media/source', payload: { source: 'slate' } })).statusCode).toBe(503);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/media/keyframe' })).statusCode).toBe(503);
  });
});

describe('media API with the default config (sim camera, no RTSP: slate only)', () => {
  let t: Awaited<ReturnType<typeof apiWith>>;
  let probe: Awaited<ReturnType<typeof rtpProbe>>;
  let audio: Awaited<ReturnType<typeof rtpProbe>>;
  beforeAll(async () => {
    ensureWorkerBuilt();
    probe = await rtpProbe();
    audio = await rtpProbe();
    t = await apiWith(true, probe.port, audio.port);
    await t.media.start();
  }, 60_000);
  afterAll(async () => (await t.close(), await probe.close(), await audio.close()));

  it('runs the slate, shows it in status and health, and takes controls', async () => {
    await until('slate frames counted', 5000, () => t.media.status().fps > 0);
    const s = (await t.app.inject({ method: 'GET', url: '/api/v1/media/status' })).json();
    expect(s).toMatchObject({ state: 'running', source: 'slate', primaryUri: null, mode: 'auto' });
    expect(s.fps).toBeGreaterThan(10);
    expect(probe.firstKeyframeAt).not.toBeNull();
    const kf = await t.app.inject({ method: 'POST', url: '/api/v1/media/keyframe' });
    expect(kf.json()).toEqual({ ok: true, onAir: 'slate', method: 'forced' });
    const sel = await t.app.inject({ method: 'POST', url: '/api/v1/media/source', payload: { source: 'primary' } });
    expect(sel.json()).toEqual({ ok: true, selection: 'primary' });
    expect(t.media.status().mode).toBe('manual');
    const health = (await t.app.inject({ method: 'GET', url: '/api/v1/health' })).json();
    expect(health.media).toMatchObject({ health: { state: 'online' }, source: 'slate', restarts: 0 });
  });
});
