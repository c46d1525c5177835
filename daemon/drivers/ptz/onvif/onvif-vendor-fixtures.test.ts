import onvif from 'node-onvif';
import soap from 'node-onvif/lib/modules/soap.js';
import { describe, expect, it } from 'vitest';
import { DeviceRejectedError } from '../../../../common/errors.js';
import { parseFault, parsePresets, parseStatus, parseStreamUri } from '../../../../common/protocols/onvif/index.js';
import { SoapFaultError, toDriverError } from './onvif-faults.js';
import { fixture } from './test/replayed-camera.js';

// The vendor recordings of issue 11 (common/protocols/onvif/fixtures/README.md, "Vendor evidence") through
// the path the driver takes today: node-onvif's parser (xml2js trees) and its own init steps. The
// expectations pin what node-onvif does with each habit, good or bad, so a driver change is measured
// against real answers rather than the simulator's.
const body = async (name: string) => (await soap.parse(fixture(name))).Body;

/** node-onvif's own init step, fed a recorded answer instead of the network. */
function answering(name: string) {
  return (cb?: (e: Error | null, r?: any) => void) =>
    soap.parse(fixture(name)).then((conv) => cb?.(null, { data: conv.Body, converted: conv, soap: '' })) as any;
}

const HIK = 'hikvision-ds2df7286';

describe('Hikvision DS-2DF7286-A through node-onvif', () => {
  it("GetCapabilities: node-onvif takes the camera's LAN XAddrs as they are (NAT'd camera unreachable)", async () => {
    // Configured on the address the site reached it on; the camera answers with its own LAN address.
    const dev = new onvif.OnvifDevice({ xaddr: 'http://149.13.244.32:8100/onvif/device_service', user: 'u', pass: 'p' });
    dev.services.device.getCapabilities = answering(`${HIK}-get-capabilities.xml`);
    await dev._getCapabilities();
    expect(dev.services.ptz?.xaddr).toBe('http://192.168.1.100:8100/onvif/PTZ');
    expect(dev.services.media?.xaddr).toBe('http://192.168.1.100:8100/onvif/Media');
  });

  it('GetProfiles: three profiles, the PTZ limits node-onvif reads from the first', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: 'http://10.0.0.1/onvif/device_service' });
    dev.services.media = { getProfiles: answering(`${HIK}-get-profiles.xml`) } as any;
    await dev._mediaGetProfiles();
    expect(dev.getProfileList().map((p) => p.token)).toEqual(['Profile_1', 'Profile_2', 'Profile_3']);
    expect(dev.getCurrentProfile()?.ptz.range).toEqual({ x: { min: -1, max: 1 }, y: { min: -1, max: 1 }, z: { min: 0, max: 1 } });
  });

  it('GetPresets: 299 presets on an xml2js tree, function presets included', async () => {
    const presets = parsePresets(await body(`${HIK}-get-presets.xml`));
    expect(presets).toHaveLength(299);
    expect(presets.find((p) => p.token === '94')).toEqual({ token: '94', name: 'Remote reboot' });
    expect(presets.find((p) => p.token === '95')).toEqual({ token: '95', name: 'Call OSD menu' });
  });

  it('GetStatus: no MoveStatus element', async () => {
    expect(parseStatus(await body(`${HIK}-get-status.xml`))?.moveStatus).toEqual({ panTilt: 'UNKNOWN', zoom: 'UNKNOWN' });
  });

  it('NotAuthorized fault: the driver reports a refusal naming the camera and the subcode', async () => {
    const fault = parseFault(await body(`${HIK}-fault-not-authorized.xml`))!;
    const err = toDriverError('cam-hik', new SoapFaultError(fault));
    expect(err).toBeInstanceOf(DeviceRejectedError);
    expect(err.message).toContain('cam-hik');
    expect(err.message).toContain('ter:NotAuthorized');
    // node-onvif itself flattens it into "<status> - <reason>": still a refusal, not an outage.
    expect(toDriverError('cam-hik', new Error(`400 Bad Request - ${fault.reason}`))).toBeInstanceOf(DeviceRejectedError);
  });

  it('NoProfile fault arrives on HTTP 500 yet is a refusal, not a broken server', async () => {
    const fault = parseFault(await body(`${HIK}-fault-no-profile.xml`))!;
    expect(fault.subcodes).toEqual(['ter:InvalidArgVal', 'ter:NoProfile']);
    expect(toDriverError('cam-hik', new Error(`500 Internal Server Error - ${fault.reason}`))).toBeInstanceOf(DeviceRejectedError);
  });
});

describe('Bosch FLEXIDOME indoor 5100i IR through node-onvif', () => {
  it('GetCapabilities: no PTZ service', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: 'http://192.168.1.201/onvif/device_service', user: 'u', pass: 'p' });
    dev.services.device.getCapabilities = answering('bosch-flexidome-5100i-get-capabilities.xml');
    await dev._getCapabilities();
    expect(dev.services.media?.xaddr).toBe('http://192.168.1.201/onvif/media_service');
    expect(dev.services.ptz).toBeNull();
  });

  it('GetProfiles: four profiles, none with PTZ; node-onvif still picks the first', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: 'http://192.168.1.201/onvif/device_service' });
    dev.services.media = { getProfiles: answering('bosch-flexidome-5100i-get-profiles.xml') } as any;
    await dev._mediaGetProfiles();
    expect(dev.getProfileList().map((p) => p.token)).toEqual(['0', '1', '2', '3']);
    expect(dev.getCurrentProfile()?.token).toBe('0');
  });

  it('GetStreamUri', async () => {
    expect(parseStreamUri(await body('bosch-flexidome-5100i-get-stream-uri.xml'))).toBe(
      'rtsp://192.168.1.201/rtsp_tunnel?p=0&line=1&inst=1&vcd=2',
    );
  });
});
