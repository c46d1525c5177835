import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { parseSoap } from './envelope.js';
import { parseFault } from './fault.js';
import { parsePresets, parseStatus, parseStreamUri } from './ptz-read.js';
import { at, attr, children, textOf, type XmlValue } from './xml-tree.js';

// Recorded answers of real cameras (provenance: fixtures/README.md, "Vendor evidence") read with the
// common readers. Each test pins a habit of the vendor the driver and the simulator have to live with.
const body = (name: string) => parseSoap(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).body;
const num = (v: XmlValue | undefined) => Number(textOf(v));
const range = (space: XmlValue | undefined, axis = 'XRange') => [num(at(space, axis, 'Min')), num(at(space, axis, 'Max'))];
const utc = (dt: XmlValue | undefined) => {
  const n = (...p: string[]) => num(at(dt, ...p));
  return Date.UTC(n('Date', 'Year'), n('Date', 'Month') - 1, n('Date', 'Day'), n('Time', 'Hour'), n('Time', 'Minute'), n('Time', 'Second'));
};
const HIK = 'hikvision-ds2df7286';

describe('Hikvision DS-2DF7286-A (PTZ dome, 2016)', () => {
  it('GetPresets: 299 presets, no positions, vendor function presets among them by name', () => {
    const presets = parsePresets(body(`${HIK}-get-presets.xml`));
    expect(presets).toHaveLength(299);
    expect(presets.some((p) => p.token === '12')).toBe(false);
    expect(presets.every((p) => p.position === undefined)).toBe(true);
    const byToken = new Map(presets.map((p) => [p.token, p.name]));
    expect(byToken.get('1')).toBe('Back Main Yard');
    expect(byToken.get('13')).toBe('Preset 13'); // never set: the camera lists it anyway
    expect([94, 95, 96, 99, 33, 39, 40, 45].map((t) => byToken.get(String(t)))).toEqual([
      'Remote reboot',
      'Call OSD menu',
      'Stop a scan',
      'Start auto scan',
      'Auto-flip',
      'Day mode',
      'Night mode',
      'One-touch patrol',
    ]);
    const named = presets.filter((p) => p.name !== `Preset ${p.token}`);
    expect(named).toHaveLength(11 + 13 + 14); // 11 the site named, 13 + 14 function presets (33–45, 92–105)
  });

  it('GetStatus without MoveStatus reads as UNKNOWN, position and clock kept', () => {
    expect(parseStatus(body(`${HIK}-get-status.xml`))).toEqual({
      position: { pan: -0.9, tilt: -0.640444, zoom: 0 },
      moveStatus: { panTilt: 'UNKNOWN', zoom: 'UNKNOWN' },
      utcTime: '2016-02-25T14:30:18Z',
    });
  });

  it('GetCapabilities names a LAN address the client did not use (NAT)', () => {
    const caps = at(body(`${HIK}-get-capabilities.xml`), 'GetCapabilitiesResponse', 'Capabilities');
    const xaddrs = ['Device', 'Media', 'PTZ', 'Events'].map((s) => textOf(at(caps, s, 'XAddr')));
    expect(xaddrs).toEqual(
      ['Device', 'Media', 'PTZ', 'Events'].map((s) => `http://192.168.1.100:8100/onvif/${s === 'Device' ? 'device_service' : s}`),
    );
  });

  it('GetProfiles: three profiles share one PTZ configuration', () => {
    const profiles = children(at(body(`${HIK}-get-profiles.xml`), 'GetProfilesResponse'), 'Profiles');
    expect(profiles.map((p) => [attr(p, 'token'), textOf(at(p, 'Name')), attr(at(p, 'PTZConfiguration'), 'token')])).toEqual([
      ['Profile_1', 'mainStream', 'PTZToken'],
      ['Profile_2', 'subStream', 'PTZToken'],
      ['Profile_3', 'thirdStream', 'PTZToken'],
    ]);
  });

  it('GetNodes: generic spaces plus FOV/millimetre velocity spaces of ±7, 300 presets', () => {
    const node = at(body(`${HIK}-get-nodes.xml`), 'GetNodesResponse', 'PTZNode');
    const spaces = at(node, 'SupportedPTZSpaces');
    expect(range(at(spaces, 'AbsolutePanTiltPositionSpace'))).toEqual([-1, 1]);
    expect(range(at(spaces, 'AbsoluteZoomPositionSpace'))).toEqual([0, 1]);
    const velocity = children(spaces, 'ContinuousPanTiltVelocitySpace');
    expect(velocity.map((s) => [textOf(at(s, 'URI'))?.split('/').pop(), ...range(s)])).toEqual([
      ['VelocityGenericSpace', -1, 1],
      ['VelocitySpaceFOV', -7, 7],
    ]);
    expect([num(at(node, 'MaximumNumberOfPresets')), textOf(at(node, 'HomeSupported'))]).toEqual([300, 'true']);
  });

  it('GetConfigurations: limits equal the generic ranges, 300 s default timeout', () => {
    const cfg = at(body(`${HIK}-get-configurations.xml`), 'GetConfigurationsResponse', 'PTZConfiguration');
    expect(range(at(cfg, 'PanTiltLimits', 'Range'))).toEqual([-1, 1]);
    expect(range(at(cfg, 'PanTiltLimits', 'Range'), 'YRange')).toEqual([-1, 1]);
    expect(range(at(cfg, 'ZoomLimits', 'Range'))).toEqual([0, 1]);
    expect(parseDuration(textOf(at(cfg, 'DefaultPTZTimeout')) ?? '')).toBe(300_000);
    expect(textOf(at(cfg, 'DefaultAbsolutePantTiltPositionSpace'))).toMatch(/PositionGenericSpace$/); // the schema's own typo
  });
});

describe('recorded faults, per vendor', () => {
  it.each([
    [
      `${HIK}-fault-not-authorized.xml`,
      'env:Sender',
      ['ter:NotAuthorized'],
      'The action requested requires authorization and the sender is not authorized',
    ],
    [
      `${HIK}-fault-no-profile.xml`,
      'env:Sender',
      ['ter:InvalidArgVal', 'ter:NoProfile'],
      'The requested profile token ProfileToken does not exist.',
    ],
    [
      `${HIK}-fault-action-not-supported.xml`,
      'env:Receiver',
      ['ter:ActionNotSupported', 'ter:InvalidOperation'],
      'Optional Action Not Implemented',
    ],
    [
      'hikvision-fault-invalid-parameter.xml',
      'env:Sender',
      ['ter:InvalidArgVal', 'ter:InvalidParameter'],
      'the parameter value is illegal',
    ],
    ['axis-fault-no-recording.xml', 'SOAP-ENV:Sender', ['ter:InvalidArgVal', 'ter:NoRecording'], 'Recording not found'],
    [
      'dahua-fault-not-implemented.xml',
      's:Sender',
      ['ter:ActionNotSupported', 'ter:NotImplemented'],
      'This optional method is not implemented',
    ],
  ])('%s', (file, code, subcodes, reason) => {
    expect(parseFault(body(file))).toEqual({ code, subcodes, reason });
  });
});

describe('Bosch FLEXIDOME indoor 5100i IR (fixed dome, 2025)', () => {
  it("GetSystemDateAndTime: the camera's clock ran ~901 days behind the capture", () => {
    const sdt = at(body('bosch-flexidome-5100i-get-system-date-and-time.xml'), 'GetSystemDateAndTimeResponse', 'SystemDateAndTime');
    const camera = utc(at(sdt, 'UTCDateTime'));
    expect(new Date(camera).toISOString()).toBe('2023-05-24T21:25:05.000Z');
    const days = (camera - Date.parse('2025-11-10T17:32:59Z')) / 86_400_000;
    expect(Math.round(days)).toBe(-901);
    expect([textOf(at(sdt, 'DateTimeType')), textOf(at(sdt, 'TimeZone', 'TZ')), at(sdt, 'LocalDateTime')]).toEqual([
      'Manual',
      'UTC5:0',
      undefined,
    ]);
  });

  it('GetCapabilities has no PTZ service; GetProfiles has no PTZ profile', () => {
    expect(at(body('bosch-flexidome-5100i-get-capabilities.xml'), 'GetCapabilitiesResponse', 'Capabilities', 'PTZ')).toBeUndefined();
    const profiles = children(at(body('bosch-flexidome-5100i-get-profiles.xml'), 'GetProfilesResponse'), 'Profiles');
    expect(profiles.map((p) => attr(p, 'token'))).toEqual(['0', '1', '2', '3']);
    expect(profiles.filter((p) => at(p, 'PTZConfiguration') !== undefined)).toEqual([]);
  });

  it('GetStreamUri: the rtsp_tunnel URI, entities decoded', () => {
    expect(parseStreamUri(body('bosch-flexidome-5100i-get-stream-uri.xml'))).toBe(
      'rtsp://192.168.1.201/rtsp_tunnel?p=0&line=1&inst=1&vcd=2',
    );
  });
});

describe('Axis and an unnamed gSOAP PTZ camera', () => {
  it('Axis GetSystemDateAndTime: UTC and local time three hours apart (BRT3)', () => {
    const sdt = at(body('axis-get-system-date-and-time.xml'), 'GetSystemDateAndTimeResponse', 'SystemDateAndTime');
    expect(new Date(utc(at(sdt, 'UTCDateTime'))).toISOString()).toBe('2024-07-09T19:49:06.000Z');
    expect((utc(at(sdt, 'UTCDateTime')) - utc(at(sdt, 'LocalDateTime'))) / 3_600_000).toBe(3);
  });

  it('GetNodes: 300 presets and auxiliary commands beside the generic spaces', () => {
    const node = at(body('gsoap-ptz-get-nodes.xml'), 'GetNodesResponse', 'PTZNode');
    expect(num(at(node, 'MaximumNumberOfPresets'))).toBe(300);
    expect(children(node, 'AuxiliaryCommands').map((c) => textOf(c))).toContain('brushon');
    expect(range(at(node, 'SupportedPTZSpaces', 'AbsoluteZoomPositionSpace'))).toEqual([0, 1]);
  });
});

describe("gSOAP camera with Milesight's envelope (ex_onvif recordings)", () => {
  it('GetConfigurations: ZoomLimits −1..1 (wider than the generic zoom space), timeout PT0H0M1S', () => {
    const cfg = at(body('exonvif-get-ptz-configurations.xml'), 'GetConfigurationsResponse', 'PTZConfiguration');
    expect(range(at(cfg, 'ZoomLimits', 'Range'))).toEqual([-1, 1]);
    expect(range(at(cfg, 'PanTiltLimits', 'Range'))).toEqual([-1, 1]);
    expect(parseDuration(textOf(at(cfg, 'DefaultPTZTimeout')) ?? '')).toBe(1000);
  });

  it('GetDeviceInformation: the manufacturer string as Milesight writes it', () => {
    const info = at(body('exonvif-milesight-get-device-information.xml'), 'GetDeviceInformationResponse');
    expect([textOf(at(info, 'Manufacturer')), textOf(at(info, 'Model'))]).toEqual(['Milesight Technology Co.,Ltd.', 'MS-C8165-PE']);
  });
});
