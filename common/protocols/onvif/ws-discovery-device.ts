// WS-Discovery 2005/04, device side (SOAP-over-UDP): read a Probe, decide whether it matches, answer
// with ProbeMatches sent unicast to the prober.
import { WSD } from './namespaces.js';
import { parseSoap } from './envelope.js';
import { xmlEscape } from './xml-escape.js';
import { child, text } from './xml-tree.js';

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

/** What an ONVIF camera (NVT) is: dn:NetworkVideoTransmitter and tds:Device. */
export const NVT_TYPES = ['NetworkVideoTransmitter', 'Device'];

/** Undefined for anything that is not a 2005/04 Probe (Hello, Bye, other protocols, junk). */
export function parseProbe(xml: string): Probe | undefined {
  try {
    const req = parseSoap(xml);
    if (req.action !== 'Probe' || req.ns !== WSD.discovery) return undefined;
    const words = (v: string) => v.split(/\s+/).filter(Boolean);
    return {
      messageId: text(child(req.header, 'MessageID')),
      types: words(text(child(req.operation, 'Types'))).map((t) => t.slice(t.indexOf(':') + 1)),
      scopes: words(text(child(req.operation, 'Scopes'))),
    };
  } catch {
    return undefined;
  }
}

/** Types: any of ours; Scopes: RFC 3986 prefix match by path segment (the WS-Discovery default). */
export function probeMatches(p: Probe, scopes: string[], types: readonly string[] = NVT_TYPES): boolean {
  if (p.types.length > 0 && !p.types.every((t) => types.includes(t))) return false;
  const segMatch = (want: string, have: string) => have === want || have.startsWith(want.endsWith('/') ? want : `${want}/`);
  return p.scopes.every((want) => scopes.some((have) => segMatch(want, have)));
}

export function probeMatchesXml(probe: Probe, ad: Advert, messageId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="${WSD.addressing}" ` +
    `xmlns:d="${WSD.discovery}" xmlns:dn="${WSD.network}" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">` +
    `<env:Header><wsa:MessageID>${xmlEscape(messageId)}</wsa:MessageID><wsa:RelatesTo>${xmlEscape(probe.messageId)}</wsa:RelatesTo>` +
    `<wsa:To env:mustUnderstand="true">${WSD.anonymous}</wsa:To>` +
    `<wsa:Action env:mustUnderstand="true">${WSD.discovery}/ProbeMatches</wsa:Action></env:Header>` +
    `<env:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${xmlEscape(ad.endpoint)}</wsa:Address></wsa:EndpointReference>` +
    `<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>${ad.scopes.map(xmlEscape).join(' ')}</d:Scopes>` +
    `<d:XAddrs>${ad.xaddrs.map(xmlEscape).join(' ')}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>`
  );
}
