import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createOriginPolicy, hostOnly } from './origin-policy.js';

describe('origin policy (Host and Origin checks)', () => {
  const p = createOriginPolicy({
    publicUrl: 'https://hub.tinh.gov.vn:8443',
    allowedOrigins: ['https://console.tinh.gov.vn'],
    allowedHosts: ['tiepdan.local', 'HUB-2.tinh.gov.vn'],
  });

  it('host names: port, brackets and a trailing dot removed, lower-cased', () => {
    expect(hostOnly('Hub.Tinh.gov.vn:8443')).toBe('hub.tinh.gov.vn');
    expect(hostOnly('[::1]:8090')).toBe('::1');
    expect(hostOnly('::1')).toBe('::1');
    expect(hostOnly('evil.example.')).toBe('evil.example');
  });

  it('Host: IP literals, localhost, this machine, publicUrl and allowedHosts (any case) pass; other names and none do not', () => {
    for (const ok of [
      '10.1.2.3:8090',
      '[fe80::1]:8090',
      'localhost:8090',
      'app.localhost',
      hostname(),
      'hub.tinh.gov.vn:8443',
      'TIEPDAN.local',
      'hub-2.tinh.gov.vn',
    ])
      expect(p.hostAllowed(ok), ok).toBe(true);
    for (const bad of ['evil.example', 'hub.tinh.gov.vn.evil.example', 'localhost.evil.example', '', undefined])
      expect(p.hostAllowed(bad), String(bad)).toBe(false);
  });

  it("Origin: the hub's own (same host:port as the request), publicUrl's, allowedOrigins; scheme and port count", () => {
    expect(p.originAllowed('http://10.1.2.3:8090', '10.1.2.3:8090')).toBe(true);
    expect(p.originAllowed('http://10.1.2.3:8091', '10.1.2.3:8090')).toBe(false);
    expect(p.originAllowed('https://hub.tinh.gov.vn:8443', 'other:1')).toBe(true);
    expect(p.originAllowed('http://hub.tinh.gov.vn:8443', 'other:1')).toBe(false);
    expect(p.originAllowed('https://console.tinh.gov.vn', 'x')).toBe(true);
    for (const bad of ['null', 'https://evil.example', 'garbage', 'https://console.tinh.gov.vn.evil.example'])
      expect(p.originAllowed(bad, 'x'), bad).toBe(false);
  });
});
