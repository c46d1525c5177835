import { describe, expect, it } from 'vitest';
import { buildProbe, parseProbe, parseProbeMatches, probeMatches, probeMatchesXml } from '../../common/protocols/onvif/index.js';
import { deviceScopes, endpointUrn } from './discovery-xml.js';

// The protocol is tested in common/protocols/onvif/ws-discovery.test.ts; here what this camera announces.
describe("the simulator's WS-Discovery advert", () => {
  const scopes = deviceScopes({ name: 'Room 1 cam', model: 'PTZ-SIM-1', location: 'commune-a' });

  it('ONVIF scopes with percent-encoded name, hardware and location', () => {
    expect(scopes).toEqual(
      expect.arrayContaining([
        'onvif://www.onvif.org/name/Room%201%20cam',
        'onvif://www.onvif.org/hardware/PTZ-SIM-1',
        'onvif://www.onvif.org/location/commune-a',
        'onvif://www.onvif.org/Profile/Streaming',
        'onvif://www.onvif.org/type/video_encoder',
      ]),
    );
    expect(probeMatches({ messageId: 'x', types: [], scopes: ['onvif://www.onvif.org/location'] }, scopes)).toBe(true);
  });

  it("a stable urn:uuid per serial number, read back by a technician's probe", () => {
    expect(endpointUrn('S1')).toBe(endpointUrn('S1'));
    expect(endpointUrn('S1')).not.toBe(endpointUrn('S2'));
    expect(endpointUrn('S1')).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const probe = parseProbe(buildProbe('p1', 'tds:Device'))!;
    const xml = probeMatchesXml(
      probe,
      { endpoint: endpointUrn('S1'), xaddrs: ['http://127.0.0.1:8080/onvif/device_service'], scopes },
      'urn:uuid:reply',
    );
    expect(parseProbeMatches(xml)).toMatchObject([{ urn: endpointUrn('S1'), name: 'Room 1 cam', hardware: 'PTZ-SIM-1' }]);
  });
});
