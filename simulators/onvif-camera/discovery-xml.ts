// WS-Discovery (2005/04, as ONVIF uses it) over SOAP-over-UDP: read a Probe, build the ProbeMatches.
import { createHash } from 'node:crypto';
import { child, parseSoapRequest, text } from './soap-request.js';
import { esc } from './soap-xml.js';

export const WSD_NS = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
const WSA_NS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
const ANONYMOUS = `${WSA_NS}/role/anonymous`;

export interface Probe {
  messageId: string;
  /** Local names of the requested types; empty = any. */
  types: string[];
  scopes: string[];
}

export interface Advert {
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
}

/** Undefined for anything that is not a 2005/04 Probe (Hello, Bye, other protocols, junk). */
export function parseProbe(xml: string): Probe | undefined {
  try {
    const req = parseSoapRequest(xml);
    if (req.action !== 'Probe' || req.ns !== WSD_NS) return undefined;
    const words = (v: string) => v.split(/\s+/).filter(Boolean);
    return {
      messageId: text(child(req.header, 'MessageID')),
      types: words(text(child(req.body, 'Types'))).map((t) => t.slice(t.indexOf(':') + 1)),
      scopes: words(text(child(req.body, 'Scopes'))),
    };
  } catch {
    return undefined;
  }
}

const OUR_TYPES = ['NetworkVideoTransmitter', 'Device'];

/** Types: any of ours; Scopes: RFC 3986 prefix match by path segment (the WS-Discovery default). */
export function probeMatches(p: Probe, scopes: string[]): boolean {
  if (p.types.length > 0 && !p.types.every((t) => OUR_TYPES.includes(t))) return false;
  const segMatch = (want: string, have: string) => have === want || have.startsWith(want.endsWith('/') ? want : `${want}/`);
  return p.scopes.every((want) => scopes.some((have) => segMatch(want, have)));
}

export function deviceScopes(o: { name: string; model: string; location: string }): string[] {
  const e = encodeURIComponent;
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/type/ptz',
    'onvif://www.onvif.org/Profile/Streaming',
    `onvif://www.onvif.org/name/${e(o.name)}`,
    `onvif://www.onvif.org/hardware/${e(o.model)}`,
    `onvif://www.onvif.org/location/${e(o.location)}`,
  ];
}

/** Stable urn:uuid from the serial number, so a camera keeps its endpoint across restarts. */
export function endpointUrn(serial: string): string {
  const h = createHash('sha1').update(`onvif-sim:${serial}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function probeMatchesXml(probe: Probe, ad: Advert, messageId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="${WSA_NS}" ` +
    `xmlns:d="${WSD_NS}" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">` +
    `<env:Header><wsa:MessageID>${esc(messageId)}</wsa:MessageID><wsa:RelatesTo>${esc(probe.messageId)}</wsa:RelatesTo>` +
    `<wsa:To env:mustUnderstand="true">${ANONYMOUS}</wsa:To>` +
    `<wsa:Action env:mustUnderstand="true">${WSD_NS}/ProbeMatches</wsa:Action></env:Header>` +
    `<env:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${esc(ad.endpoint)}</wsa:Address></wsa:EndpointReference>` +
    `<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>${ad.scopes.map(esc).join(' ')}</d:Scopes>` +
    `<d:XAddrs>${ad.xaddrs.map(esc).join(' ')}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>`
  );
}
