import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceUnavailableError } from '../../../../common/errors.js';
import { setPresetBody } from '../../../../common/protocols/onvif/index.js';
import { createOnvifCameraSim, type OnvifCameraSim } from '../../../../simulators/onvif-camera/index.js';
import { SoapFaultError, toDriverError } from './onvif-faults.js';
import { callPtz, type SoapTarget } from './onvif-soap.js';

// The driver's own SetPreset round trip (common envelope + WS-Security digest) against the simulator.
describe('callPtz', () => {
  let sim: OnvifCameraSim;
  let target: SoapTarget;
  beforeAll(async () => {
    sim = createOnvifCameraSim({ username: 'admin', password: 'p&w <x>', port: 0, discovery: null });
    await sim.start();
    target = { url: sim.xaddr.replace('device_service', 'ptz_service'), user: 'admin', pass: 'p&w <x>', timeDiffMs: 0 };
  });
  afterAll(() => sim.stop());

  it('sets a preset with a non-ASCII name and reads the token back', async () => {
    const body = await callPtz(target, setPresetBody('Profile_1', 'Bàn & ghế'), 1500);
    const token = (body.SetPresetResponse as Record<string, string>).PresetToken;
    expect(sim.model.preset(token)?.name).toBe('Bàn & ghế');
  });

  it('signs on the camera clock: a wrong offset is refused as NotAuthorized', async () => {
    const err = await callPtz({ ...target, timeDiffMs: 10 * 60_000 }, setPresetBody('Profile_1', 'x'), 1500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SoapFaultError);
    expect((err as SoapFaultError).fault.subcodes).toEqual(['ter:NotAuthorized']);
  });

  it('a fault keeps its subcodes; garbage is a TypeError the driver reads as unavailable', async () => {
    const unknown = await callPtz(target, setPresetBody('Profile_1', 'y', '999'), 1500).catch((e: unknown) => e);
    expect((unknown as SoapFaultError).fault.subcodes).toEqual(['ter:InvalidArgVal', 'ter:NoToken']);
    await sim.setFaults({ garbage: true });
    try {
      const err = await callPtz(target, setPresetBody('Profile_1', 'z'), 1500).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(toDriverError('cam', err)).toBeInstanceOf(DeviceUnavailableError);
    } finally {
      await sim.setFaults({ garbage: false });
    }
  });
});
