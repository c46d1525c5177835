import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSoap } from './envelope.js';
import { parseStatus, parseStreamUri } from './ptz-read.js';
import {
  choosePtzProfile,
  parseCapabilities,
  parseDeviceInformation,
  parseProfiles,
  parseSystemDateAndTime,
  rewriteXAddr,
} from './soap-device.js';

// Part A's connect readers (clock, service addresses, identity, profiles, NAT rewrite) over the vendor
// recordings of fixtures/README.md ("Vendor evidence"): what a connect to each of these cameras yields.
const body = (name: string) => parseSoap(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).body;

describe('the camera clock (GetSystemDateAndTime → UTC ms)', () => {
  it.each([
    ['bosch-flexidome-5100i-get-system-date-and-time.xml', '2023-05-24T21:25:05.000Z'],
    ['axis-get-system-date-and-time.xml', '2024-07-09T19:49:06.000Z'],
    ['pelco-d6230l-get-system-date-and-time.xml', '2018-02-27T18:10:11.000Z'],
    ['axis-q6045e-get-system-date-and-time.xml', '2018-02-27T23:09:59.000Z'],
    ['hikvision-ds2df7276-get-system-date-and-time.xml', '2018-02-27T18:28:01.000Z'],
  ])('%s', (file, iso) => {
    expect(new Date(parseSystemDateAndTime(body(file))!).toISOString()).toBe(iso);
  });

  it("Bosch: the offset a connect computes is the camera's ~901 days behind the capture", () => {
    const captured = Date.parse('2025-11-10T17:32:59Z'); // the capture's own timestamp (onvif-go capture_002.json)
    const offsetMs = parseSystemDateAndTime(body('bosch-flexidome-5100i-get-system-date-and-time.xml'))! - captured;
    expect(Math.round(offsetMs / 86_400_000)).toBe(-901);
  });
});

describe('service addresses and NAT', () => {
  it('Hikvision behind NAT: every XAddr names its LAN address; the rewrite puts them on the configured one', () => {
    const addrs = parseCapabilities(body('hikvision-ds2df7286-get-capabilities.xml'));
    expect(addrs).toEqual({
      device: 'http://192.168.1.100:8100/onvif/device_service',
      media: 'http://192.168.1.100:8100/onvif/Media',
      ptz: 'http://192.168.1.100:8100/onvif/PTZ',
    });
    const configured = 'http://149.13.244.32:8100/onvif/device_service';
    expect(rewriteXAddr(addrs.ptz!, configured)).toBe('http://149.13.244.32:8100/onvif/PTZ');
    expect(rewriteXAddr(addrs.media!, configured)).toBe('http://149.13.244.32:8100/onvif/Media');
  });

  it('Bosch and Dahua fixed cameras: no PTZ address; Axis: one endpoint for all, left as it is', () => {
    expect(parseCapabilities(body('bosch-flexidome-5100i-get-capabilities.xml')).ptz).toBeUndefined();
    expect(parseCapabilities(body('dahua-get-capabilities.xml')).ptz).toBeUndefined();
    const axis = parseCapabilities(body('axis-q6045e-get-capabilities.xml'));
    expect(axis.ptz).toBe('http://192.168.0.19/onvif/services');
    expect(rewriteXAddr(axis.ptz!, 'http://192.168.0.19/onvif/device_service')).toBe(axis.ptz);
  });
});

describe('identity and the profile to drive', () => {
  it('manufacturer strings as the cameras write them', () => {
    const m = (f: string) => parseDeviceInformation(body(f)).manufacturer;
    expect(
      [
        'hikvision-ds2df7286-get-device-information.xml',
        'bosch-flexidome-5100i-get-device-information.xml',
        'pelco-d6230l-get-device-information.xml',
        'axis-q6045e-get-device-information.xml',
        'exonvif-milesight-get-device-information.xml',
      ].map(m),
    ).toEqual(['HIKVISION', 'Bosch', 'Pelco', 'AXIS', 'Milesight Technology Co.,Ltd.']);
  });

  it('PTZ domes: the first PTZ profile, or the configured token', () => {
    const hik = parseProfiles(body('hikvision-ds2df7286-get-profiles.xml'));
    expect(choosePtzProfile(hik)).toMatchObject({ token: 'Profile_1', ptzConfigurationToken: 'PTZToken' });
    expect(choosePtzProfile(hik, 'Profile_3')?.name).toBe('thirdStream');
    expect(choosePtzProfile(hik, 'Foo')).toBeUndefined();
    expect(choosePtzProfile(parseProfiles(body('pelco-d6230l-get-profiles.xml')))?.token).toBe('0');
    expect(choosePtzProfile(parseProfiles(body('axis-q6045e-get-profiles.xml')))?.token).toBe('profile_1_h264');
  });

  it('Bosch fixed dome: four profiles, none to drive', () => {
    const bosch = parseProfiles(body('bosch-flexidome-5100i-get-profiles.xml'));
    expect(bosch.map((p) => p.token)).toEqual(['0', '1', '2', '3']);
    expect(choosePtzProfile(bosch)).toBeUndefined();
  });
});

describe('the 2018 domes, connect to stream', () => {
  it('PTZ service addresses on the LAN the capture was made on', () => {
    expect(parseCapabilities(body('pelco-d6230l-get-capabilities.xml')).ptz).toBe('http://10.10.1.66/onvif/ptz_service');
    expect(parseCapabilities(body('hikvision-ds2df7276-get-capabilities.xml')).ptz).toBe('http://10.10.1.60/onvif/PTZ');
    expect(choosePtzProfile(parseProfiles(body('hikvision-ds2df7276-get-profiles.xml')))?.ptzConfigurationToken).toBe('PTZToken');
  });

  it('stream URIs, entities decoded', () => {
    expect(parseStreamUri(body('hikvision-ds2df7276-get-stream-uri.xml'))).toBe(
      'rtsp://10.10.1.60:554/Streaming/Channels/3?transportmode=unicast&profile=Profile_3',
    );
    expect(parseStreamUri(body('pelco-d6230l-get-stream-uri.xml'))).toBe('rtsp://10.10.1.66/stream2_v');
    expect(parseStreamUri(body('axis-q6045e-get-stream-uri.xml'))).toMatch(
      /^rtsp:\/\/192\.168\.0\.19\/onvif-media\/media\.amp\?profile=profile_1_jpeg&sessiontimeout=60/,
    );
  });

  it('Hikvision 2014 GetStatus: no MoveStatus either', () => {
    expect(parseStatus(body('hikvision-ds2df7276-get-status.xml'))).toEqual({
      position: { pan: 0.333167, tilt: -0.682, zoom: 0 },
      moveStatus: { panTilt: 'UNKNOWN', zoom: 'UNKNOWN' },
      utcTime: '2018-02-27T14:53:06Z',
    });
  });
});
