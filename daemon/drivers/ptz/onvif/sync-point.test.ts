import { afterEach, describe, expect, it } from 'vitest';
import { createOnvifCameraSim, type OnvifCameraSim, type OnvifCameraSimOptions } from '../../../../simulators/onvif-camera/index.js';
import { until } from '../../../../tests/helpers/until.js';
import { OnvifPtz } from '../onvif-ptz.js';
import { OnvifSoapClient } from './soap-client.js';
import { createSyncPoint, syncPointRequest } from './sync-point.js';

// Issue 15 target 4: the driver asks the camera for an IDR (Media SetSynchronizationPoint), against the simulator.
const creds = { username: 'admin', password: 'reception' };
let pairs: { sim: OnvifCameraSim; driver: OnvifPtz }[] = [];
afterEach(async () => {
  for (const p of pairs) await p.driver.stop().then(() => p.sim.stop());
  pairs = [];
});

/** The sim's RTSP picture stands in as a sink that notes when the camera was made to send an IDR. */
async function pair(sim: Partial<OnvifCameraSimOptions> = {}) {
  const idrs: number[] = [];
  const picture = { rtspUri: 'rtsp://127.0.0.1:1/stream', setView() {}, forceKeyframe: () => void idrs.push(performance.now()) };
  const s = createOnvifCameraSim({ ...creds, port: 0, discovery: null, picture, ...sim });
  await s.start();
  const warnings: string[] = [];
  const logger = { child: () => logger, warn: (_o: unknown, m: string) => warnings.push(m), info() {}, debug() {}, error() {} };
  const driver = new OnvifPtz({ id: 'cam-sync', xaddr: s.xaddr, ...creds, timeoutMs: 1500, logger: logger as never });
  pairs.push({ sim: s, driver });
  await driver.start();
  await until('camera online', 20_000, () => driver.health().state === 'online');
  const wire = () => s.traffic.requests.filter((r) => r.action === 'SetSynchronizationPoint').map((r) => r.status);
  return { sim: s, driver, idrs, warnings, wire };
}

describe('SetSynchronizationPoint (ONVIF camera driver)', () => {
  it('body: the profile token in the media namespace, escaped', () => {
    expect(syncPointRequest('P&1')).toBe(
      '<trt:SetSynchronizationPoint><trt:ProfileToken>P&amp;1</trt:ProfileToken></trt:SetSynchronizationPoint>',
    );
  });

  it('asks the camera for an IDR on the driven profile, with WS-Security and with HTTP Digest', async () => {
    for (const auth of ['ws-security', 'digest'] as const) {
      const { driver, idrs, wire } = await pair({ auth });
      await expect(driver.requestSyncPoint()).resolves.toBe('sent');
      expect(wire()).toEqual([200]);
      expect(idrs).toHaveLength(1);
      expect(driver.transport.auth).toBe(auth);
    }
  });

  it('a profile token the camera does not have is a refusal (the sim reads the token from the body)', async () => {
    const { sim } = await pair();
    const client = new OnvifSoapClient({ ...creds, auth: 'auto', deviceUrl: sim.xaddr });
    await client.syncClock(AbortSignal.timeout(5000));
    const media = sim.xaddr.replace('device_service', 'media_service');
    const sync = createSyncPoint({
      send: async () => void (await client.call(media, syncPointRequest('NoSuchProfile'), AbortSignal.timeout(5000))),
      log: { warn() {} } as never,
    });
    await expect(sync.request()).resolves.toBe('refused');
  });

  it('requests together: one on the wire at once, one trailing after ~1 s, never back to back', async () => {
    const { driver, idrs, wire } = await pair();
    const answers = await Promise.all([driver.requestSyncPoint(), driver.requestSyncPoint(), driver.requestSyncPoint()]);
    expect(answers).toEqual(['sent', 'merged', 'merged']);
    expect(wire()).toEqual([200]);
    await until('the trailing request', 10_000, () => wire().length === 2);
    expect(idrs[1]! - idrs[0]!).toBeGreaterThanOrEqual(900); // a lower bound: the merge window, not a speed
    expect(await driver.requestSyncPoint()).toBe('merged'); // inside the trailing one's window again
  });

  it('a camera without the operation: refused once, logged once, never asked again, never thrown', async () => {
    const { driver, warnings, wire } = await pair({ syncPoint: false });
    await expect(driver.requestSyncPoint()).resolves.toBe('refused');
    await expect(driver.requestSyncPoint()).resolves.toBe('refused');
    expect(wire()).toEqual([500]); // ter:ActionNotSupported
    expect(warnings.filter((w) => w.includes('SetSynchronizationPoint'))).toHaveLength(1);
    expect(driver.health().state).toBe('online'); // a missing operation is not a dead camera
  });

  it('a camera that does not answer: failed this time (the GOP decides), asked again later', async () => {
    const { sim, driver, wire } = await pair();
    await sim.setFaults({ offline: true });
    await expect(driver.requestSyncPoint()).resolves.toBe('failed');
    await sim.setFaults({ offline: false });
    await until('asked again once the merge window is over', 15_000, async () =>
      ['sent', 'merged'].includes(await driver.requestSyncPoint()),
    );
    expect(wire().at(-1)).toBe(200);
  });
});
