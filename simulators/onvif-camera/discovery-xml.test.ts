import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deviceScopes, endpointUrn, parseProbe, probeMatches, probeMatchesXml } from './discovery-xml.js';
import { parseSoapRequest, child, text } from './soap-request.js';

// The Probe node-onvif 0.1.7 multicasts (it sends one per type: NetworkVideoTransmitter, Device, NetworkVideoDisplay).
const PROBE = readFileSync(new URL('./fixtures/node-onvif-probe.xml', import.meta.url), 'utf8');
const probeFor = (type: string, id?: string) => {
  const xml = PROBE.replace('dp0:NetworkVideoTransmitter', `dp0:${type}`);
  return id ? xml.replace('uuid:7c1b3a52-1f5e-4d2a-9a7e-0f6d3c2b1a00', id) : xml;
};

describe('WS-Discovery XML', () => {
  const scopes = deviceScopes({ name: 'Room 1 cam', model: 'PTZ-SIM-1', location: 'commune-a' });

  it('parses a node-onvif Probe and matches only our types', () => {
    const p = parseProbe(probeFor('NetworkVideoTransmitter'))!;
    expect(p).toEqual({ messageId: 'uuid:7c1b3a52-1f5e-4d2a-9a7e-0f6d3c2b1a00', types: ['NetworkVideoTransmitter'], scopes: [] });
    expect(probeMatches(p, scopes)).toBe(true);
    expect(probeMatches(parseProbe(probeFor('NetworkVideoDisplay'))!, scopes)).toBe(false);
    expect(parseProbe('not xml')).toBeUndefined();
  });

  it('matches scopes by path-segment prefix', () => {
    const base = { messageId: 'x', types: [] };
    expect(probeMatches({ ...base, scopes: ['onvif://www.onvif.org/location'] }, scopes)).toBe(true);
    expect(probeMatches({ ...base, scopes: ['onvif://www.onvif.org/loc'] }, scopes)).toBe(false);
    expect(probeMatches({ ...base, scopes: ['onvif://www.onvif.org/hardware/PTZ-SIM-1'] }, scopes)).toBe(true);
  });

  it('builds ProbeMatches with RelatesTo, XAddrs, Types and Scopes', () => {
    const p = parseProbe(probeFor('Device', 'uuid:abc'))!;
    const xml = probeMatchesXml(p, { endpoint: endpointUrn('S1'), xaddrs: ['http://127.0.0.1:8080/onvif/device_service'], scopes }, 'urn:uuid:reply');
    const env = parseSoapRequest(xml);
    expect(env.action).toBe('ProbeMatches');
    expect(text(child(env.header, 'RelatesTo'))).toBe('uuid:abc');
    const m = child(env.body, 'ProbeMatch');
    expect(text(child(m, 'XAddrs'))).toBe('http://127.0.0.1:8080/onvif/device_service');
    expect(text(child(m, 'Types'))).toContain('dn:NetworkVideoTransmitter');
    expect(text(child(m, 'Scopes')).split(' ')).toEqual(expect.arrayContaining(['onvif://www.onvif.org/name/Room%201%20cam', 'onvif://www.onvif.org/Profile/Streaming', 'onvif://www.onvif.org/type/video_encoder']));
    expect(text(child(child(m, 'EndpointReference'), 'Address'))).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(endpointUrn('S1')).toBe(endpointUrn('S1'));
  });
});
