import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSoap } from './envelope.js';
import {
  choosePtzProfile,
  parseCapabilities,
  parseDeviceInformation,
  parseProfiles,
  parseSystemDateAndTime,
  rewriteXAddr,
} from './soap-device.js';
import { ptzRequests } from './soap-requests.js';

// The connect-time readers on recorded vendor answers (provenance: fixtures/README.md).
const body = (f: string) => parseSoap(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')).body;

describe('connect-time readers on vendor answers', () => {
  it("camera clocks: Bosch's ~901 days behind, Axis's UTC (not its local time)", () => {
    expect(new Date(parseSystemDateAndTime(body('bosch-flexidome-5100i-get-system-date-and-time.xml'))!).toISOString()).toBe(
      '2023-05-24T21:25:05.000Z',
    );
    expect(new Date(parseSystemDateAndTime(body('axis-get-system-date-and-time.xml'))!).getUTCHours()).toBe(19);
  });

  it('Hikvision DS-2DF7286 behind NAT: XAddrs on its LAN address, put back on the configured one', () => {
    const caps = parseCapabilities(body('hikvision-ds2df7286-get-capabilities.xml'));
    expect(caps).toEqual({
      device: 'http://192.168.1.100:8100/onvif/device_service',
      media: 'http://192.168.1.100:8100/onvif/Media',
      ptz: 'http://192.168.1.100:8100/onvif/PTZ',
    });
    const configured = 'http://203.0.113.7:18100/onvif/device_service';
    expect(rewriteXAddr(caps.ptz!, configured)).toBe('http://203.0.113.7:18100/onvif/PTZ');
    expect(rewriteXAddr('http://203.0.113.7:18100/onvif/Media?x=1', configured)).toBe('http://203.0.113.7:18100/onvif/Media?x=1');
    expect(rewriteXAddr('not a url', configured)).toBe(configured);
    // a camera without a PTZ service (Dahua fixed, Bosch FLEXIDOME) lists none
    expect(parseCapabilities(body('dahua-get-capabilities.xml')).ptz).toBeUndefined();
    expect(parseCapabilities(body('bosch-flexidome-5100i-get-capabilities.xml')).ptz).toBeUndefined();
  });

  it('profiles: Hikvision (three, all PTZ), Bosch (four, none PTZ); the first PTZ one or the configured one', () => {
    const hik = parseProfiles(body('hikvision-ds2df7286-get-profiles.xml'));
    expect(hik.map((p) => [p.token, p.ptzConfigurationToken])).toEqual([
      ['Profile_1', 'PTZToken'],
      ['Profile_2', 'PTZToken'],
      ['Profile_3', 'PTZToken'],
    ]);
    expect(choosePtzProfile(hik)?.token).toBe('Profile_1');
    expect(choosePtzProfile(hik, 'Profile_2')?.token).toBe('Profile_2');
    expect(choosePtzProfile(hik, 'Profile_9')).toBeUndefined();
    const bosch = parseProfiles(body('bosch-flexidome-5100i-get-profiles.xml'));
    expect(bosch).toHaveLength(4);
    expect(choosePtzProfile(bosch)).toBeUndefined();
    const first = { token: 'jpeg', name: 'j' };
    expect(choosePtzProfile([first, ...hik])?.token).toBe('Profile_1');
  });

  it('device information (Hikvision, Bosch)', () => {
    expect(parseDeviceInformation(body('hikvision-ds2df7286-get-device-information.xml')).manufacturer).toBe('HIKVISION');
    expect(parseDeviceInformation(body('bosch-flexidome-5100i-get-device-information.xml')).manufacturer).toMatch(/bosch/i);
  });

  it('request bodies escape tokens and write plain numbers', () => {
    expect(ptzRequests.gotoPreset('P<1>', '3&4', 0.5)).toContain('<tptz:PresetToken>3&amp;4</tptz:PresetToken>');
    expect(ptzRequests.continuousMove('P', { pan: 0.1 + 0.2, tilt: -0, zoom: 0 }, 1500)).toContain('x="0.3" y="0"');
    expect(ptzRequests.continuousMove('P', { pan: 0, tilt: 0, zoom: 0 }, 1500)).toContain('<tptz:Timeout>PT1.5S</tptz:Timeout>');
  });
});
