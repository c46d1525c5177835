import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSoap } from './envelope.js';
import { parseFault } from './fault.js';
import { parsePresets, parseStatus } from './ptz-read.js';
import { configurationOf, parseConfigurationOptions, parseConfigurations, parseNodes } from './ptz-spaces-read.js';
import { at, attr, children, textOf, type XmlValue } from './xml-tree.js';

// Three PTZ domes captured live in 2018 (Hikvision DS-2DF7276-AEL, Pelco D6230L, Axis Q6045-E; provenance in
// fixtures/README.md, "From hawkeye64/onvif-nvt") read with the common readers: how differently three
// vendors answer the same PTZ questions.
const body = (name: string) => parseSoap(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).body;
const services = (name: string) =>
  children(at(body(name), 'GetServicesResponse'), 'Service').map((s: XmlValue) => [textOf(at(s, 'Namespace')), textOf(at(s, 'XAddr'))]);
const PTZ_NS = 'http://www.onvif.org/ver20/ptz/wsdl';

describe('GetPresets: three vendors, three shapes', () => {
  it('Hikvision 2014 firmware: unset slots carry no name at all, names repeat', () => {
    const presets = parsePresets(body('hikvision-ds2df7276-get-presets.xml'));
    expect(presets).toHaveLength(255);
    expect(presets.filter((p) => p.name === '')).toHaveLength(224);
    expect(presets.filter((p) => p.name === 'preset 1').map((p) => p.token)).toEqual(['1', '2']);
    const named = new Map(presets.filter((p) => p.name).map((p) => [p.token, p.name]));
    expect([named.get('33'), named.get('44'), named.get('45'), named.get('94'), named.get('105')]).toEqual([
      'Auto-flip',
      'Call pattern 4',
      undefined,
      'Remote reboot',
      'Call patrol 8',
    ]);
  });

  it('Pelco: UUID tokens and stored positions', () => {
    const presets = parsePresets(body('pelco-d6230l-get-presets.xml'));
    expect(presets).toHaveLength(6);
    expect(presets.every((p) => /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(p.token))).toBe(true);
    expect(presets.find((p) => p.name === 'Door Sign')?.position).toEqual({ pan: 0.56, tilt: 1, zoom: 0.016 });
  });

  it('Axis: descending tokens, exponent notation, a "Preset 206" name on token 19', () => {
    const presets = parsePresets(body('axis-q6045e-get-presets.xml'));
    expect(presets.map((p) => p.token).slice(0, 3)).toEqual(['22', '21', '20']);
    expect(presets.find((p) => p.token === '19')?.name).toBe('Preset 206');
    expect(presets[0]?.position?.tilt).toBeCloseTo(5.93397374e-7, 15);
  });
});

describe('spaces and limits', () => {
  it('Pelco: the zoom ends at 0.08, in the configuration and in every profile', () => {
    const [cfg] = parseConfigurations(body('pelco-d6230l-get-configurations.xml'));
    expect(cfg?.zoomLimits?.x).toEqual({ min: 0, max: 0.08 });
    const profiles = children(at(body('pelco-d6230l-get-profiles.xml'), 'GetProfilesResponse'), 'Profiles');
    expect(profiles.map((p) => [attr(p, 'token'), configurationOf(at(p, 'PTZConfiguration'))?.zoomLimits?.x.max])).toEqual([
      ['0', 0.08],
      ['1', 0.08],
    ]);
  });

  it('Pelco: exponent numbers and its own PercentFOV spaces in GetConfigurationOptions', () => {
    const opts = parseConfigurationOptions(body('pelco-d6230l-get-configuration-options.xml'));
    expect(opts.AbsolutePanTiltPositionSpace?.[1]).toMatchObject({ x: { min: -180, max: 180 }, y: { min: -93, max: 3 } });
    expect(opts.RelativeZoomTranslationSpace?.map((s) => s.uri)).toContain('urn:schemas-pelco-com:onvif:ptz/ZoomSpaces/PercentFOVSpace');
    expect(opts.RelativeZoomTranslationSpace?.[1]?.x).toEqual({ min: 1, max: 1000 });
  });

  it('Axis: spherical degrees beside the generic space; Hikvision: FOV ±7 in its options too', () => {
    const [node] = parseNodes(body('axis-q6045e-get-nodes.xml'));
    expect(node?.spaces.AbsolutePanTiltPositionSpace?.map((s) => [s.uri.split('/').pop(), s.y])).toEqual([
      ['PositionGenericSpace', { min: -1, max: 1 }],
      ['SphericalPositionSpace', { min: -200, max: 20 }],
    ]);
    const hik = parseConfigurationOptions(body('hikvision-ds2df7276-get-configuration-options.xml'));
    expect(hik.ContinuousPanTiltVelocitySpace?.map((s) => s.x.max)).toEqual([1, 7]);
  });
});

describe('services, clock and faults', () => {
  it('GetServices: the PTZ service by namespace (Pelco lists 22 services, its own namespaces among them)', () => {
    const pelco = services('pelco-d6230l-get-services.xml');
    expect(pelco).toHaveLength(22);
    expect(pelco.find(([ns]) => ns === PTZ_NS)?.[1]).toBe('http://10.10.1.66/onvif/ptz_service');
    expect(services('hikvision-ds2df7276-get-services.xml').find(([ns]) => ns === PTZ_NS)?.[1]).toBe('http://10.10.1.60/onvif/PTZ');
  });

  it('Axis refuses GetServices (Receiver / ter:Action) and serves every service on one endpoint', () => {
    expect(parseFault(body('axis-q6045e-fault-get-services.xml'))).toEqual({
      code: 'SOAP-ENV:Receiver',
      subcodes: ['ter:Action'],
      reason: 'Action failed',
    });
    const caps = at(body('axis-q6045e-get-capabilities.xml'), 'GetCapabilitiesResponse', 'Capabilities');
    expect(['Media', 'PTZ', 'Events'].map((s) => textOf(at(caps, s, 'XAddr')))).toEqual(
      Array(3).fill('http://192.168.0.19/onvif/services'),
    );
  });

  it('Pelco GetSystemDateAndTime: UTC only, a region in the extension', () => {
    const sdt = at(body('pelco-d6230l-get-system-date-and-time.xml'), 'GetSystemDateAndTimeResponse', 'SystemDateAndTime');
    expect(at(sdt, 'LocalDateTime')).toBeUndefined();
    expect([textOf(at(sdt, 'UTCDateTime', 'Date', 'Year')), textOf(at(sdt, 'Extension', 'Region'))]).toEqual(['2018', ':America/Edmonton']);
  });
});

describe('GetStatus and a refused optional action', () => {
  it('Pelco and Axis report per-axis MoveStatus; Pelco stamps microseconds', () => {
    expect(parseStatus(body('pelco-d6230l-get-status.xml'))).toEqual({
      position: { pan: -0.39, tilt: 0.81, zoom: 0 },
      moveStatus: { panTilt: 'IDLE', zoom: 'IDLE' },
      utcTime: '2018-02-27T14:57:08.890590Z',
    });
    expect(Date.parse(parseStatus(body('pelco-d6230l-get-status.xml'))!.utcTime!)).toBe(Date.UTC(2018, 1, 27, 14, 57, 8, 890));
    expect(parseStatus(body('axis-q6045e-get-status.xml'))?.position).toEqual({ pan: -0.387339115, tilt: 0.933800578, zoom: 0 });
  });

  it('Pelco: ActionNotSupported with a single subcode', () => {
    expect(parseFault(body('pelco-d6230l-fault-action-not-supported.xml'))).toEqual({
      code: 'SOAP-ENV:Receiver',
      subcodes: ['ter:ActionNotSupported'],
      reason: 'Optional Action Not Implemented',
    });
  });
});
