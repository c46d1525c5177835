// Issue 15 target 4, the daemon's path: a receiver's keyframe request with an ONVIF camera on air in passthrough
// asks the camera (SetSynchronizationPoint through the real driver) and the worker's RTP carries its IDR early in
// the GOP. Real processes: the worker, the simulated camera (SOAP + gst-rtsp-server picture). By GOP position.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { createOnvifCameraSim } from '../../../simulators/onvif-camera/index.js';
import { type GopWatch, gopWatch } from '../../../simulators/onvif-camera/test/gop-watch.js';
import { createRtspPicture, type RtspPicture } from '../../../simulators/rtsp-picture/index.js';
import { freePort } from '../../../tests/helpers/free-port.js';
import { until } from '../../../tests/helpers/until.js';
import { validateConfig } from '../../config/load-config.js';
import { OnvifPtz } from '../../drivers/ptz/onvif-ptz.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { buildApi } from '../api/create-api.js';
import { createAuditLog } from '../audit/audit-log.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { createMedia, type Media } from './create-media.js';
import { ensureWorkerBuilt } from './ensure-built.js';
import { rtpProbe } from './rtp-probe.js';

const creds = { username: 'admin', password: 'reception' };
let picture: RtspPicture;
beforeAll(async () => {
  ensureWorkerBuilt();
  picture = createRtspPicture({ port: await freePort(), name: 'CAM-SYNC' });
  await picture.start();
}, 60_000);
afterAll(() => picture?.stop());

/** The room's camera 'cam1' on air: ONVIF driver → its stream URI → the worker (passthrough). */
async function rig() {
  const sim = createOnvifCameraSim({ ...creds, port: 0, discovery: null, picture });
  await sim.start();
  const driver = new OnvifPtz({ id: 'cam1', xaddr: sim.xaddr, ...creds, timeoutMs: 1500 });
  await driver.start();
  const watch = await gopWatch();
  const audio = await rtpProbe();
  const config = validateConfig({
    media: { primaryCamera: 'cam1', lossTimeoutMs: 1000, videoRtpPort: watch.port, audioRtpPort: audio.port },
  });
  const bus = createEventBus();
  const camera = { ...config.cameras[0]!, id: 'cam1' };
  const devices = assembleDevices([{ config: camera, driver }], new SimDsp({ channels: [], meterRateMs: 1000 }), [], bus, silentLogger());
  const media = createMedia({ config: config.media, room: config.room, cameras: devices.cameras, bus, logger: silentLogger() });
  const dir = mkdtempSync(join(tmpdir(), 'keyframe-sync-'));
  const access = { loopbackRole: 'monitor' as const, tokens: [] };
  const api = { host: '127.0.0.1', port: 0, room: config.room, version: 'test', access, devices, bus, media, logger: silentLogger() };
  const app = await buildApi({ ...api, audit: createAuditLog(join(dir, 'audit.jsonl')) });
  await app.ready();
  await media.start();
  await until('the camera on air', 60_000, () => media.status().source === 'primary');
  const wire = () => sim.traffic.requests.filter((r) => r.action === 'SetSynchronizationPoint').map((r) => r.status);
  /** The gateway's call: POST /api/v1/media/keyframe from loopback, through the route's response schema. */
  const keyframe = async () => (await app.inject({ method: 'POST', url: '/api/v1/media/keyframe', remoteAddress: '127.0.0.1' })).json();
  const close = async () => {
    await app.close();
    await media.stop();
    await driver.stop();
    await sim.stop();
    await watch.close();
    await audio.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { sim, media, watch, wire, keyframe, close };
}

describe('keyframe request, ONVIF camera in passthrough', () => {
  let r: Awaited<ReturnType<typeof rig>>, media: Media, watch: GopWatch;
  beforeAll(async () => {
    r = await rig();
    ({ media, watch } = r);
  }, 90_000);
  afterAll(() => r?.close());

  it('asks the camera (camera-sync): the next IDR on the room RTP comes early in the GOP', async () => {
    const from = watch.idrAt.length;
    await until('two camera GOPs on air', 30_000, () => watch.idrAt.length >= from + 3);
    const gop = watch.gop()!;
    await until('early in a GOP', 30_000, () => (watch.sinceIdr() ?? 99) <= 3 && (watch.sinceIdr() ?? 0) >= 1, 5);
    const lastIdr = watch.idrAt.at(-1)!;
    expect(await r.keyframe()).toEqual({ ok: true, onAir: 'primary', method: 'camera-sync' });
    const next = await until('the next IDR', 30_000, () => watch.idrAt.find((f) => f > lastIdr));
    console.log(`room RTP: IDR at GOP position ${next - lastIdr} after the request (camera GOP ${gop})`);
    expect(next - lastIdr).toBeLessThan(gop - 2);
    expect(r.wire()).toEqual([200]);
    expect(media.requestKeyframe().method).toBe('camera-sync'); // merged by the driver: no second request now
    expect(r.wire()).toEqual([200]);
  });

  it('a camera that refuses it (ActionNotSupported): asked once, then camera-gop, and it stays on air', async () => {
    r.sim.setSyncPoint('refuse'); // as a camera without the operation (same worker: one start for both tests)
    await until('asked (after the merge window) and refused', 15_000, () => (media.requestKeyframe(), r.wire().includes(500)));
    await until('camera-gop from then on', 10_000, () => media.requestKeyframe().method === 'camera-gop');
    for (let i = 0; i < 3; i++) expect(media.requestKeyframe().method).toBe('camera-gop');
    expect(r.wire().filter((s) => s === 500)).toHaveLength(1); // refused once: never asked again
    expect(media.status().source).toBe('primary');
  });
});
