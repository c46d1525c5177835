import onvif from 'node-onvif';
import soap from 'node-onvif/lib/modules/soap.js';
import { describe, expect, it } from 'vitest';
import { at, children, configurationOf, parsePresets, parseSoap, type XmlNode } from '../../../../common/protocols/onvif/index.js';
import { flagFunctionPresets } from './function-presets.js';
import { readPtzSpaces } from './ptz-spaces.js';
import { fixture } from './test/replayed-camera.js';

// The 2018 captures of three PTZ domes (common/protocols/onvif/fixtures/README.md, "From hawkeye64/onvif-nvt")
// through what the driver does at connect: read the camera's range, flag function presets, and what
// node-onvif makes of the same answers.
const body = (name: string) => parseSoap(fixture(name)).body;

/** readPtzSpaces fed the camera's own recorded answers, as the driver's call() would resolve them. */
async function spacesOf(camera: string) {
  const profile = children(at(body(`${camera}-get-profiles.xml`), 'GetProfilesResponse'), 'Profiles')[0];
  const configuration = configurationOf(at(profile, 'PTZConfiguration'))!;
  const answers: Record<string, string> = {
    GetConfiguration: 'get-configurations',
    GetNode: 'get-nodes',
    GetConfigurationOptions: 'get-configuration-options',
  };
  const call = async (op: string): Promise<XmlNode> => body(`${camera}-${answers[op]}.xml`);
  return readPtzSpaces(call, { configurationToken: configuration.token, configuration });
}

describe('the camera range the driver reads at connect', () => {
  it('Pelco D6230L: zoom limited to 0..0.08, relative zoom steps no wider', async () => {
    const s = await spacesOf('pelco-d6230l');
    expect(s.limits).toEqual({ pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: 0, max: 0.08 } });
    expect(s.translation.zoom).toEqual({ min: -0.08, max: 0.08 });
    expect(s.notes.join('\n')).toMatch(/urn:schemas-pelco-com:onvif:ptz\/ZoomSpaces\/PercentFOVSpace not used/);
  });

  it('Axis Q6045-E: full generic range; spherical degrees noted, not mapped', async () => {
    const s = await spacesOf('axis-q6045e');
    expect(s.limits).toEqual({ pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: 0, max: 1 } });
    expect(s.notes.join('\n')).toMatch(/SphericalPositionSpace not used/);
  });
});

describe('function presets on the three domes', () => {
  it('Hikvision 2014 firmware: every slot it names with a function is flagged; nameless slots stay usable by token', () => {
    const presets = parsePresets(body('hikvision-ds2df7276-get-presets.xml'));
    const flagged = flagFunctionPresets('HIKVISION', presets);
    const named = flagged.filter((p) => p.name !== '' && !/^preset \d+$/i.test(p.name) && !['Parking', 'West'].includes(p.name));
    expect(named).toHaveLength(26); // 33–44 and 92–105 on this firmware
    expect(named.filter((p) => !p.function).map((p) => p.name)).toEqual([]);
    expect(flagged.find((p) => p.token === '4')).toEqual({ token: '4', name: 'Parking' });
  });

  it('Pelco (UUID tokens) and Axis (site names): nothing flagged', () => {
    expect(flagFunctionPresets('Pelco', parsePresets(body('pelco-d6230l-get-presets.xml'))).filter((p) => p.function)).toEqual([]);
    expect(flagFunctionPresets('AXIS', parsePresets(body('axis-q6045e-get-presets.xml'))).filter((p) => p.function)).toEqual([]);
  });
});

describe('node-onvif on the same captures', () => {
  /** node-onvif's own init step, fed a recorded answer instead of the network. */
  const answering = (name: string) => (cb?: (e: Error | null, r?: any) => void) =>
    soap.parse(fixture(name)).then((conv) => cb?.(null, { data: conv.Body, converted: conv, soap: '' })) as any;

  it('Pelco GetProfiles: node-onvif reads the 0..0.08 zoom range of the first profile', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: 'http://10.10.1.66/onvif/device_service' });
    dev.services.media = { getProfiles: answering('pelco-d6230l-get-profiles.xml') } as any;
    await dev._mediaGetProfiles();
    expect(dev.getProfileList().map((p) => p.token)).toEqual(['0', '1']);
    expect(dev.getCurrentProfile()?.ptz.range.z).toEqual({ min: 0, max: 0.08 });
  });

  it('Axis GetCapabilities: one endpoint for media and PTZ', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: 'http://192.168.0.19/onvif/device_service', user: 'u', pass: 'p' });
    dev.services.device.getCapabilities = answering('axis-q6045e-get-capabilities.xml');
    await dev._getCapabilities();
    expect([dev.services.media?.xaddr, dev.services.ptz?.xaddr]).toEqual(Array(2).fill('http://192.168.0.19/onvif/services'));
  });
});
