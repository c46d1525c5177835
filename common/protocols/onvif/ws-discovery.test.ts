import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSoap } from './envelope.js';
import { buildProbe, parseProbeMatches, scopeUri, scopeValue } from './ws-discovery.js';
import { parseProbe, probeMatches, probeMatchesXml } from './ws-discovery-device.js';

/** A recorded file of fixtures/ (provenance in fixtures/README.md). */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// The Probe node-onvif 0.1.7 multicasts (one per type: NetworkVideoTransmitter, Device, NetworkVideoDisplay).
const probeFor = (type: string, id?: string) => {
  const xml = fixture('node-onvif-probe.xml').replace('dp0:NetworkVideoTransmitter', `dp0:${type}`);
  return id ? xml.replace('uuid:7c1b3a52-1f5e-4d2a-9a7e-0f6d3c2b1a00', id) : xml;
};
const scopes = [
  'onvif://www.onvif.org/type/ptz',
  'onvif://www.onvif.org/name/Room%201%20cam',
  'onvif://www.onvif.org/hardware/PTZ-SIM-1',
  'onvif://www.onvif.org/location/commune-a',
];

describe('WS-Discovery, client side', () => {
  it('parses a real Amcrest IP2M-841B ProbeMatch', () => {
    expect(parseProbeMatches(fixture('amcrest-ip2m-841b-probe-match.xml'))).toEqual([
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
    const m = parseSoap(buildProbe('1234', 'tds:Device'));
    expect(m.header.MessageID).toBe('uuid:1234');
    expect(m.header.Action).toMatchObject({ '#text': 'http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe' });
    expect(m.operation.Types).toBe('tds:Device');
  });

  it('scope values are percent-decoded and case-insensitive in the key', () => {
    expect(scopeValue(['onvif://www.onvif.org/Name/HIKVISION%20DS-2DE'], 'name')).toBe('HIKVISION DS-2DE');
    expect(scopeValue(['onvif://www.onvif.org/name/'], 'name')).toBeUndefined();
    expect(scopeValue([scopeUri('name', 'Phòng 1 / xã A')], 'name')).toBe('Phòng 1 / xã A');
  });
});

describe('WS-Discovery, device side', () => {
  it('parses a node-onvif Probe and matches only NVT types', () => {
    const p = parseProbe(probeFor('NetworkVideoTransmitter'))!;
    expect(p).toEqual({ messageId: 'uuid:7c1b3a52-1f5e-4d2a-9a7e-0f6d3c2b1a00', types: ['NetworkVideoTransmitter'], scopes: [] });
    expect(probeMatches(p, scopes)).toBe(true);
    expect(probeMatches(parseProbe(probeFor('NetworkVideoDisplay'))!, scopes)).toBe(false);
    expect(parseProbe('not xml')).toBeUndefined();
    expect(parseProbe(fixture('amcrest-ip2m-841b-probe-match.xml'))).toBeUndefined();
  });

  it('our own Probe is read by the device side', () => {
    expect(parseProbe(buildProbe('abc', 'tds:Device'))).toEqual({ messageId: 'uuid:abc', types: ['Device'], scopes: [] });
  });

  it('matches scopes by path-segment prefix', () => {
    const base = { messageId: 'x', types: [] };
    expect(probeMatches({ ...base, scopes: ['onvif://www.onvif.org/location'] }, scopes)).toBe(true);
    expect(probeMatches({ ...base, scopes: ['onvif://www.onvif.org/loc'] }, scopes)).toBe(false);
    expect(probeMatches({ ...base, scopes: ['onvif://www.onvif.org/hardware/PTZ-SIM-1'] }, scopes)).toBe(true);
  });

  it('ProbeMatches written by a device are read by the client, RelatesTo echoed', () => {
    const p = parseProbe(probeFor('Device', 'uuid:abc'))!;
    const xml = probeMatchesXml(
      p,
      { endpoint: 'urn:uuid:0f7a', xaddrs: ['http://127.0.0.1:8080/onvif/device_service?a=1&b=2'], scopes },
      'urn:uuid:reply',
    );
    expect(parseSoap(xml).header.RelatesTo).toBe('uuid:abc');
    expect(parseProbeMatches(xml)).toEqual([
      {
        urn: 'urn:uuid:0f7a',
        types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
        scopes,
        xaddrs: ['http://127.0.0.1:8080/onvif/device_service?a=1&b=2'],
        name: 'Room 1 cam',
        hardware: 'PTZ-SIM-1',
      },
    ]);
  });
});
