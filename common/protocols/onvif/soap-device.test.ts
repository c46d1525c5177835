import { describe, expect, it } from 'vitest';
import { choosePtzProfile, rewriteXAddr } from './soap-device.js';
import { ptzRequests } from './soap-requests.js';

// Edge cases of the connect-time helpers; the readers on recorded vendor answers are in vendor-connect-fixtures.test.ts.
describe('connect-time helpers', () => {
  it('NAT rewrite keeps path and query, and falls back to the configured address for a bad XAddr', () => {
    const configured = 'http://203.0.113.7:18100/onvif/device_service';
    expect(rewriteXAddr('http://192.168.1.100:8100/onvif/PTZ', configured)).toBe('http://203.0.113.7:18100/onvif/PTZ');
    expect(rewriteXAddr('http://10.0.0.2/onvif/Media?x=1', configured)).toBe('http://203.0.113.7:18100/onvif/Media?x=1');
    expect(rewriteXAddr('not a url', configured)).toBe(configured);
  });

  it('a first profile without PTZ (a JPEG snapshot profile) is skipped for the first one with PTZ', () => {
    const profiles = [
      { token: 'jpeg', name: 'j' },
      { token: 'Profile_1', name: 'main', ptz: { '@_token': 'PTZToken' }, ptzConfigurationToken: 'PTZToken' },
    ];
    expect(choosePtzProfile(profiles)?.token).toBe('Profile_1');
    expect(choosePtzProfile(profiles, 'jpeg')?.token).toBe('jpeg');
  });

  it('request bodies escape tokens and write plain numbers', () => {
    expect(ptzRequests.gotoPreset('P<1>', '3&4', 0.5)).toContain('<tptz:PresetToken>3&amp;4</tptz:PresetToken>');
    expect(ptzRequests.continuousMove('P', { pan: 0.1 + 0.2, tilt: -0, zoom: 0 }, 1500)).toContain('x="0.3" y="0"');
    expect(ptzRequests.continuousMove('P', { pan: 0, tilt: 0, zoom: 0 }, 1500)).toContain('<tptz:Timeout>PT1.5S</tptz:Timeout>');
  });
});
