import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  at,
  children,
  configurationOf,
  parseConfigurations,
  parseFault,
  parseNodes,
  parsePresets,
  parseSoap,
  textOf,
  type XmlNode,
} from '../../../../common/protocols/onvif/index.js';
import { flagFunctionPresets, vendorOf } from './function-presets.js';
import { SoapFaultError } from './onvif-faults.js';
import { readPtzSpaces, spacesFrom } from './ptz-spaces.js';

// Part B's readers (PTZ spaces, limits, function presets) over real recordings (common/protocols/onvif/
// fixtures/README.md, "Vendor evidence"): what the ONVIF driver will make of a Hikvision PTZ dome.
const body = (name: string) =>
  parseSoap(readFileSync(new URL(`../../../../common/protocols/onvif/fixtures/${name}`, import.meta.url), 'utf8')).body;
const HIK = 'hikvision-ds2df7286';

/** Slots the DS-2DF7286-A itself names with a camera function (GetPresets, 2016). */
const NAMED_FUNCTIONS = [...Array.from({ length: 13 }, (_, i) => 33 + i), ...Array.from({ length: 14 }, (_, i) => 92 + i)].map(String);

describe('Hikvision DS-2DF7286-A: spaces and limits', () => {
  it('GetNodes: the node, its preset count and both velocity spaces', () => {
    const [node] = parseNodes(body(`${HIK}-get-nodes.xml`));
    expect(node).toMatchObject({ token: 'PTZNODETOKEN', name: 'PTZNODE', maxPresets: 300, homeSupported: true });
    expect(node!.spaces.ContinuousPanTiltVelocitySpace?.map((s) => [s.x.min, s.x.max])).toEqual([
      [-1, 1],
      [-7, 7],
    ]);
  });

  it('the PTZ configuration of a profile and of GetConfigurations agree', () => {
    const [fromList] = parseConfigurations(body(`${HIK}-get-configurations.xml`));
    const profile = children(at(body(`${HIK}-get-profiles.xml`), 'GetProfilesResponse'), 'Profiles')[0];
    const fromProfile = configurationOf(at(profile, 'PTZConfiguration'));
    expect(fromProfile).toEqual(fromList);
    expect(fromList).toMatchObject({ token: 'PTZToken', nodeToken: 'PTZNODETOKEN', zoomLimits: { x: { min: 0, max: 1 } } });
  });

  it('readPtzSpaces: generic ranges kept, FOV/millimetre spaces noted, a refused query skipped', async () => {
    const profile = children(at(body(`${HIK}-get-profiles.xml`), 'GetProfilesResponse'), 'Profiles')[0];
    const configuration = configurationOf(at(profile, 'PTZConfiguration'))!;
    // GetConfigurationOptions was not recorded: the camera's recorded answer to an action it lacks stands in.
    const refusal = new SoapFaultError(parseFault(body(`${HIK}-fault-action-not-supported.xml`))!);
    const asked: string[] = [];
    const call = async (op: string): Promise<XmlNode> => {
      asked.push(op);
      if (op === 'GetNode') return body(`${HIK}-get-nodes.xml`);
      throw refusal;
    };
    const spaces = await readPtzSpaces(call, { configurationToken: configuration.token, configuration });
    expect(asked).toEqual(['GetConfiguration', 'GetNode', 'GetConfigurationOptions']); // GetConfiguration refused: the profile's stands in
    expect(spaces.limits).toEqual({ pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: 0, max: 1 } });
    expect(spaces.velocity).toEqual({ pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: -1, max: 1 } });
    expect(spaces.notes.join('\n')).toMatch(/VelocitySpaceFOV not used/);
    expect(spaces.notes.join('\n')).toMatch(/VelocitySpaceMillimeter not used/);
    expect(spaces.notes.join('\n')).toMatch(/GetConfigurationOptions refused: .*ActionNotSupported/);
  });
});

describe('Hikvision DS-2DF7286-A: function presets', () => {
  const presets = parsePresets(body(`${HIK}-get-presets.xml`));

  it('every slot the camera names with a function is flagged, Vietnamese first', () => {
    const flagged = new Map(flagFunctionPresets('HIKVISION', presets).map((p) => [p.token, p.function]));
    expect(NAMED_FUNCTIONS.filter((t) => !flagged.get(t))).toEqual([]);
    expect(flagged.get('94')).toBe('Khởi động lại camera — Remote reboot');
    expect(flagged.get('95')).toBe('Mở menu OSD của camera — Call OSD menu');
  });

  it('by name alone too: a manufacturer string the tables do not know still flags them', () => {
    const flagged = flagFunctionPresets('', presets).filter((p) => p.function);
    expect(flagged.map((p) => p.token)).toEqual(NAMED_FUNCTIONS);
  });

  it("the site's own views are never flagged", () => {
    const own = flagFunctionPresets('HIKVISION', presets).filter((p) => Number(p.token) <= 11);
    expect(own.map((p) => p.name)).toContain('Back Main Yard');
    expect(own.filter((p) => p.function)).toEqual([]);
  });
});

describe('gSOAP camera with ZoomLimits −1..1 (ex_onvif recording)', () => {
  it('the limits never leave the generic zoom space 0..1', () => {
    const [config] = parseConfigurations(body('exonvif-get-ptz-configurations.xml'));
    expect(config?.zoomLimits?.x).toEqual({ min: -1, max: 1 });
    expect(spacesFrom({ config }).limits.zoom).toEqual({ min: 0, max: 1 });
  });

  it('Milesight is recognised from its manufacturer string', () => {
    const info = at(body('exonvif-milesight-get-device-information.xml'), 'GetDeviceInformationResponse', 'Manufacturer');
    expect(vendorOf(textOf(info) ?? '')).toBe('milesight');
  });
});

describe('unnamed gSOAP PTZ camera', () => {
  it('GetNodes: 300 presets, home supported, generic zoom 0..1', () => {
    const [node] = parseNodes(body('gsoap-ptz-get-nodes.xml'));
    expect(node).toMatchObject({ token: 'PTZNodeToken', maxPresets: 300, homeSupported: true });
    expect(node!.spaces.AbsoluteZoomPositionSpace?.[0]?.x).toEqual({ min: 0, max: 1 });
  });
});
