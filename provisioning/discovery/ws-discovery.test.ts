import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createOnvifCameraSim } from '../../simulators/onvif-camera/index.js';
import { discoverCameras } from './discover-cameras.js';
import { buildProbe, parseProbeMatches, scopeValue } from './ws-discovery.js';

const amcrest = readFileSync(new URL('./fixtures/amcrest-ip2m-841b-probe-match.xml', import.meta.url), 'utf8');

describe('ws-discovery (pure)', () => {
  it('parses a real Amcrest IP2M-841B ProbeMatch', () => {
    expect(parseProbeMatches(amcrest)).toEqual([
      {
        urn: 'uuid:8eceb0ca-564e-4436-bec5-e63ea243c529',
        types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
        scopes: [
          'onvif://www.onvif.org/location/country/china',
          'onvif://www.onvif.org/name/Amcrest',
          'onvif://www.onvif.org/hardware/IP2M-841B',
          'onvif://www.onvif.org/Profile/Streaming',
          'onvif://www.onvif.org/type/Network_Video_Transmitter',
          'onvif://www.onvif.org/extension/unique_identifier',
        ],
        xaddrs: ['http://192.168.1.235/onvif/device_service'],
        name: 'Amcrest',
        hardware: 'IP2M-841B',
      },
    ]);
  });

  it('garbage and non-matches parse to []', () => {
    expect(parseProbeMatches('\u0000\u00ff not xml <<<')).toEqual([]);
    expect(parseProbeMatches(buildProbe('x'))).toEqual([]);
  });

  it('builds a Probe for the asked type with our MessageID', () => {
    const doc = new XMLParser({ removeNSPrefix: true }).parse(buildProbe('1234', 'tds:Device'));
    expect(doc.Envelope.Header.MessageID).toBe('uuid:1234');
    expect(doc.Envelope.Header.Action).toBe('http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe');
    expect(doc.Envelope.Body.Probe.Types).toBe('tds:Device');
  });

  it('scope values are percent-decoded and case-insensitive in the key', () => {
    expect(scopeValue(['onvif://www.onvif.org/Name/HIKVISION%20DS-2DE'], 'name')).toBe('HIKVISION DS-2DE');
    expect(scopeValue(['onvif://www.onvif.org/name/'], 'name')).toBeUndefined();
  });
});

describe('discoverCameras (unicast)', () => {
  it('finds the simulator on a loopback port, once', async () => {
    const sim = createOnvifCameraSim({ username: 'a', password: 'b', port: 0, discovery: { port: 0, address: '127.0.0.1' } });
    await sim.start();
    try {
      const found = await discoverCameras({ timeoutMs: 500, targets: [`127.0.0.1:${sim.discoveryPort}`] });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ xaddrs: [sim.xaddr], address: '127.0.0.1' });
      expect(found[0]!.scopes.length).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  });

  it('nothing listening → empty list, on time', async () => {
    const t0 = Date.now();
    expect(await discoverCameras({ timeoutMs: 300, targets: ['127.0.0.1:9'] })).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
