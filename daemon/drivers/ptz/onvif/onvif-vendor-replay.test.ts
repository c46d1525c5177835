import { afterEach, describe, expect, it } from 'vitest';
import { DeviceRejectedError } from '../../../../common/errors.js';
import { silentLogger } from '../../../../common/log.js';
import { SoapFaultError } from './onvif-faults.js';
import { connectCamera, streamUriFor } from './connect.js';
import { OnvifSoapClient } from './soap-client.js';
import { replayCamera } from './test/replayed-camera.js';

// A whole connect replayed from real cameras' recorded answers (common/protocols/onvif/fixtures/README.md):
// a local HTTP server answers each operation with the file the camera gave, byte for byte. The recorded
// XAddrs name the cameras' own LAN addresses, so every replay also crosses the NAT rewrite.
let camera: Awaited<ReturnType<typeof replayCamera>> | undefined;
afterEach(() => camera?.close());

/** Serves `name`'s recordings; `override(op)` may answer instead ([status, file]). Returns the log of operations. */
async function replay(name: string, override?: (op: string, signed: boolean) => [number, string] | undefined) {
  camera = await replayCamera(name, override);
  const { ops, xaddr } = camera;
  const client = new OnvifSoapClient({ username: 'admin', password: 'pw', auth: 'auto', deviceUrl: xaddr });
  const connect = () =>
    connectCamera({ id: `cam-${name}`, xaddr, timeoutMs: 10_000, client, log: silentLogger() }, new AbortController().signal);
  return { ops, xaddr, client, connect };
}

describe('connect replayed from recorded PTZ domes', () => {
  it('Pelco D6230L: NAT-rewritten services, profile 0, zoom limited to 0..0.08', async () => {
    const { xaddr, connect } = await replay('pelco-d6230l');
    const s = await connect();
    const host = new URL(xaddr).host;
    expect(s.urls.ptz).toBe(`http://${host}/onvif/ptz_service`);
    expect(s.natHost).toBe('10.10.1.66');
    expect([s.info.manufacturer, s.profile.token]).toEqual(['Pelco', '0']);
    expect(s.spaces.limits.zoom).toEqual({ min: 0, max: 0.08 });
    expect(streamUriFor('rtsp://10.10.1.66/stream2_v', s, xaddr)).toBe('rtsp://127.0.0.1/stream2_v');
  });

  it('Axis Q6045-E: connects without GetServices (which it refuses), everything on /onvif/services', async () => {
    const { ops, xaddr, connect } = await replay('axis-q6045e');
    const s = await connect();
    expect(ops).not.toContain('GetServices');
    expect(s.urls.ptz).toBe(`http://${new URL(xaddr).host}/onvif/services`);
    expect([s.profile.token, s.spaces.limits]).toEqual([
      'profile_1_h264',
      { pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: 0, max: 1 } },
    ]);
  });

  it("Hikvision DS-2DF7276-AEL: Profile_1 on PTZToken, requests signed on the camera's own 2018 clock", async () => {
    const { client, connect } = await replay('hikvision-ds2df7276');
    const s = await connect();
    expect([s.info.manufacturer, s.profile.token, s.profile.ptzConfigurationToken, s.natHost]).toEqual([
      'HIKVISION',
      'Profile_1',
      'PTZToken',
      '10.10.1.60',
    ]);
    expect(Date.now() + client.offsetMs - Date.UTC(2018, 1, 27, 18, 28, 1)).toBeLessThan(60_000); // signed on the camera's 2018 clock
  });

  it('Bosch FLEXIDOME 5100i IR (fixed): refused, naming the camera — no PTZ service', async () => {
    const { connect } = await replay('bosch-flexidome-5100i');
    const err = await connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceRejectedError);
    expect((err as Error).message).toMatch(/cam-bosch-flexidome-5100i.*no PTZ service/);
  });

  it("Hikvision's recorded NotAuthorized on every signed request: one clock re-read, and the clock has not moved: the password is refused, not sent again", async () => {
    const { ops, connect } = await replay('hikvision-ds2df7276', (_op, signed) =>
      signed ? [400, 'hikvision-ds2df7286-fault-not-authorized.xml'] : undefined,
    );
    const err = await connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SoapFaultError);
    expect((err as SoapFaultError).fault.subcodes).toEqual(['ter:NotAuthorized']);
    expect(ops).toEqual(['GetSystemDateAndTime', 'GetCapabilities', 'GetSystemDateAndTime']);
  });
});
