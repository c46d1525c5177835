import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../common/log.js';
import { createOnvifCameraSim, type OnvifCameraSim } from '../../../../simulators/onvif-camera/index.js';
import { until } from '../../../../tests/helpers/until.js';
import { validateConfig } from '../../../config/load-config.js';
import { createPtz } from '../create-ptz.js';
import type { OnvifPtz } from '../onvif-ptz.js';

// cameras[].onvif.auth: from the config file to the driver (default auto; a forced mode is used as such).
let sim: OnvifCameraSim | undefined;
let driver: OnvifPtz | undefined;
afterEach(async () => {
  await driver?.stop();
  await sim?.stop();
});

const camera = (onvif: Record<string, unknown>) =>
  validateConfig({ cameras: [{ id: 'cam1', name: 'Camera 1', driver: 'onvif', onvif: { username: 'admin', password: 'pw', ...onvif } }] })
    .cameras[0]!;

describe('cameras[].onvif.auth', () => {
  it('defaults to auto; an unknown mode is refused at load naming the key', () => {
    expect(camera({ xaddr: 'http://10.0.0.5/onvif/device_service' }).onvif?.auth).toBe('auto');
    expect(() => camera({ xaddr: 'http://10.0.0.5/onvif/device_service', auth: 'basic' })).toThrow(/onvif\/auth/);
  });

  it('digest from the config reaches a digest-only camera without a WS-Security round', async () => {
    sim = createOnvifCameraSim({ username: 'admin', password: 'pw', port: 0, discovery: null, auth: 'digest' });
    await sim.start();
    driver = createPtz(camera({ xaddr: sim.xaddr, auth: 'digest' }), silentLogger()) as OnvifPtz;
    await driver.start();
    await until('camera online', 20_000, () => driver!.health().state === 'online');
    expect(driver.transport.auth).toBe('digest');
  });
});
