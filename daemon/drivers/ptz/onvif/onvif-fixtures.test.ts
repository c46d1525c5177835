import onvif from 'node-onvif';
import soap from 'node-onvif/lib/modules/soap.js';
import { describe, expect, it } from 'vitest';
import { parsePresets, parseStatus, parseStreamUri } from '../../../../common/protocols/onvif/index.js';
import { fixture } from './test/replayed-camera.js';

// Real vendor answers (common/protocols/onvif/fixtures/README.md) through the path the driver uses:
// node-onvif's own parser (xml2js trees) and init steps, then the common readers.
const body = async (name: string) => (await soap.parse(fixture(name))).Body;

/** node-onvif's own init step, fed a recorded answer instead of the network. */
function answering(name: string) {
  return (cb?: (e: Error | null, r?: any) => void) =>
    soap.parse(fixture(name)).then((conv) => cb?.(null, { data: conv.Body, converted: conv, soap: '' })) as any;
}

describe('ONVIF vendor fixtures', () => {
  it('Dahua GetStreamUri: un-escapes &amp; and trims the pretty-printed URI', async () => {
    const want = 'rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif';
    expect(parseStreamUri(await body('dahua-get-stream-uri.xml'))).toBe(want);
    expect(parseStreamUri(await body('dahua-get-stream-uri-formatted.xml'))).toBe(want);
  });

  it('Dahua GetCapabilities: node-onvif finds media/events services and no PTZ', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: 'http://192.168.1.123/onvif/device_service', user: 'u', pass: 'p' });
    dev.services.device.getCapabilities = answering('dahua-get-capabilities.xml');
    await dev._getCapabilities();
    expect(dev.services.media?.xaddr).toBe('http://192.168.1.123/onvif/media_service');
    expect(dev.services.ptz).toBeNull(); // the driver reports "camera has no PTZ service"
  });

  it('GetProfiles: node-onvif reads the profile token the driver drives', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: 'http://10.0.0.1/onvif/device_service' });
    dev.services.media = { getProfiles: answering('agsh-get-profiles.xml') } as any;
    await dev._mediaGetProfiles();
    expect(dev.getProfileList().map((p) => p.token)).toEqual(['main']);
    expect(dev.getCurrentProfile()?.name).toBe('main');
  });

  it('GetStatus: position in generic space, move status and camera clock', async () => {
    expect(parseStatus(await body('agsh-get-status.xml'))).toEqual({
      position: { pan: -0.864665985, tilt: 0.267444015, zoom: 0.211861998 },
      moveStatus: { panTilt: 'IDLE', zoom: 'IDLE' },
      utcTime: '2014-12-29T20:01:31Z',
    });
  });

  it('GetPresets: tokens and names, no positions (this camera sends none)', async () => {
    const presets = parsePresets(await body('agsh-get-presets.xml'));
    expect(presets).toHaveLength(45);
    expect(presets[0]).toEqual({ token: 'P001', name: 'P001' });
    expect(presets.at(-1)).toEqual({ token: 'Home', name: 'Home' });
    expect(presets.every((p) => p.position === undefined)).toBe(true);
  });
});
