import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../common/errors.js';
import { createOnvifCameraSim, type OnvifCameraSim } from '../../../../simulators/onvif-camera/index.js';
import { HIKVISION_FUNCTION_SLOTS, seedHikvisionPresets } from '../../../../simulators/onvif-camera/ptz-vendor-presets.js';
import { describePtzContract } from '../../../../tests/contract/ptz-contract.js';
import { OnvifPtz } from '../onvif-ptz.js';
import { FULL_RANGE, type PtzLimits } from '../ptz-driver.js';

// Issue 11: a real dome — zoom ending at 0.5, ~300 presets with vendor function slots. Before part B the
// driver said zoom 0..1, sent 0.8 to the camera and answered 502 (DeviceRejectedError from ter:InvalidPosition).

const creds = { username: 'admin', password: 'reception' };
const LIMITS: PtzLimits = { ...FULL_RANGE, zoom: { min: 0, max: 0.5 } };

async function startDome() {
  const sim = createOnvifCameraSim({ ...creds, port: 0, discovery: null, manufacturer: 'HIKVISION', model: 'DS-2DE4A425IW-DE' });
  sim.model.setLimits({ zoom: [0, 0.5] });
  seedHikvisionPresets(sim.model);
  await sim.start();
  const driver = new OnvifPtz({ id: 'cam-dome', xaddr: sim.xaddr, ...creds, timeoutMs: 1500 });
  await driver.start();
  return { sim, driver };
}

describePtzContract('onvif, a Hikvision-like dome (zoom ends at 0.5, 280 presets)', async () => {
  const { sim, driver } = await startDome();
  return {
    driver,
    tolerance: 0.01,
    limits: LIMITS,
    unknownPreset: '299',
    setOffline: (offline) => sim.setFaults({ offline }),
    setLatency: (latencyMs) => sim.setFaults({ latencyMs }),
    teardown: async () => {
      await driver.stop();
      await sim.stop();
    },
  };
});

describe('OnvifPtz on a Hikvision-like dome', () => {
  let sim: OnvifCameraSim;
  let driver: OnvifPtz;
  beforeAll(async () => ({ sim, driver } = await startDome()));
  afterAll(async () => {
    await driver?.stop();
    await sim?.stop();
  });

  it('zoom 0.8 is a 400 naming camera cam-dome and its range, not a 502', async () => {
    const err = await driver.absoluteMove({ pan: 0, tilt: 0, zoom: 0.8 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).message).toMatch(/cam-dome.*0\.5/);
  });

  it('lists every slot, function presets flagged with what they do', async () => {
    const list = await driver.presets();
    expect(list).toHaveLength(280);
    expect(list.find((p) => p.token === '94')?.function).toMatch(/^Khởi động lại camera — Remote reboot$/);
    expect(list.find((p) => p.token === '95')?.function).toMatch(/OSD/);
    expect(list.find((p) => p.token === '7')?.function).toBeUndefined();
    expect(list.filter((p) => p.function)).toHaveLength(HIKVISION_FUNCTION_SLOTS.length + 3); // + specialNo 47, 48, 90
  });
});
