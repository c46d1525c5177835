import { afterEach, describe, expect, it } from 'vitest';
import { DeviceUnavailableError } from '../../../../common/errors.js';
import { setPresetBody } from '../../../../common/protocols/onvif/index.js';
import { createOnvifCameraSim, type OnvifCameraSim, type OnvifCameraSimOptions } from '../../../../simulators/onvif-camera/index.js';
import { type SoapFaultError, toDriverError } from './onvif-faults.js';
import { type AuthMode, OnvifSoapClient } from './soap-client.js';

// The driver's SOAP client on the wire, against the simulator.
const PASS = 'p&w <x>';
let sim: OnvifCameraSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function setup(o: Partial<OnvifCameraSimOptions> = {}, auth: AuthMode = 'auto') {
  sim = createOnvifCameraSim({ username: 'admin', password: PASS, port: 0, discovery: null, ...o });
  await sim.start();
  const syncs: string[] = [];
  const client = new OnvifSoapClient({
    username: 'admin',
    password: PASS,
    auth,
    deviceUrl: sim.xaddr,
    onClockSync: (_ms, why) => syncs.push(why),
  });
  return { sim, client, syncs, ptz: sim.xaddr.replace('device_service', 'ptz_service') };
}

const signal = () => AbortSignal.timeout(5000);

describe('OnvifSoapClient', () => {
  it('sets a preset with a non-ASCII name (node-onvif refused it) and reads the token back', async () => {
    const { sim, client, ptz } = await setup();
    const body = await client.call(ptz, setPresetBody('Profile_1', 'Bàn & ghế'), signal());
    const token = (body.SetPresetResponse as Record<string, string>).PresetToken!;
    expect(sim.model.preset(token)?.name).toBe('Bàn & ghế');
  });

  it('NotAuthorized re-reads the clock and sends again once; a second refusal is the fault', async () => {
    const { sim, client, syncs, ptz } = await setup({ clockOffsetMs: 10 * 60_000 });
    await client.call(ptz, setPresetBody('Profile_1', 'a'), signal());
    expect(syncs).toEqual([expect.stringMatching(/^refused: env:Sender ter:NotAuthorized/)]);
    await client.call(ptz, setPresetBody('Profile_1', 'b'), signal());
    expect(syncs).toHaveLength(1); // the offset holds
    const wrong = new OnvifSoapClient({ username: 'admin', password: 'nope', auth: 'auto', deviceUrl: sim.xaddr });
    const err = await wrong.call(ptz, setPresetBody('Profile_1', 'c'), signal()).catch((e: unknown) => e);
    expect((err as SoapFaultError).fault.subcodes).toEqual(['ter:NotAuthorized']);
  });

  it('a fault keeps its subcodes; garbage is a TypeError the driver reads as unavailable', async () => {
    const { sim, client, ptz } = await setup();
    const unknown = await client.call(ptz, setPresetBody('Profile_1', 'y', '999'), signal()).catch((e: unknown) => e);
    expect((unknown as SoapFaultError).fault.subcodes).toEqual(['ter:InvalidArgVal', 'ter:NoToken']);
    await sim.setFaults({ garbage: true });
    const err = await client.call(ptz, setPresetBody('Profile_1', 'z'), signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(toDriverError('cam', err)).toBeInstanceOf(DeviceUnavailableError);
  });

  it('digest: one challenge, then the nonce reused with a growing count; an expired nonce is answered afresh', async () => {
    const { sim, client, ptz } = await setup({ auth: 'digest' });
    for (const n of ['a', 'b', 'c']) await client.call(ptz, setPresetBody('Profile_1', n), signal());
    expect(client.auth).toBe('digest');
    expect(sim.traffic.requests.map((r) => r.status)).toEqual([401, 200, 200, 200]);
    sim.expireNonces();
    await client.call(ptz, setPresetBody('Profile_1', 'd'), signal());
    expect(sim.traffic.requests.slice(-2).map((r) => r.status)).toEqual([401, 200]);
  });

  it('an aborted call rejects at once with the abort reason', async () => {
    const { sim, client, ptz } = await setup();
    sim.setActionLatency('SetPreset', 60_000);
    const ctl = new AbortController();
    const p = client.call(ptz, setPresetBody('Profile_1', 'slow'), ctl.signal);
    ctl.abort(new DeviceUnavailableError('cam', 'driver stopped'));
    await expect(p).rejects.toThrow('cam unavailable: driver stopped');
  });
});
