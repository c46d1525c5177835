// WS-Discovery 2005/04 (the version ONVIF Core mandates), client side: the Probe a technician's laptop
// sends and the ProbeMatches cameras answer with; plus ONVIF scope URIs. No sockets here.
import { WSD } from './namespaces.js';
import { parseSoap } from './envelope.js';
import { at, textOf, type XmlNode, type XmlValue } from './xml-tree.js';

/** ONVIF device types a Probe can ask for. A Probe matches devices having *all* its types, so send one per type. */
export const PROBE_TYPES = ['dn:NetworkVideoTransmitter', 'tds:Device'] as const;
export type ProbeType = (typeof PROBE_TYPES)[number];

export function buildProbe(messageId: string, type: ProbeType = 'dn:NetworkVideoTransmitter'): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"' +
    ` xmlns:a="${WSD.addressing}" xmlns:d="${WSD.discovery}"` +
    ' xmlns:dn="http://www.onvif.org/ver10/network/wsdl"' +
    ' xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
    '<s:Header>' +
    `<a:MessageID>uuid:${messageId}</a:MessageID>` +
    `<a:To s:mustUnderstand="1">${WSD.to}</a:To>` +
    `<a:Action s:mustUnderstand="1">${WSD.discovery}/Probe</a:Action>` +
    '</s:Header>' +
    `<s:Body><d:Probe><d:Types>${type}</d:Types></d:Probe></s:Body>` +
    '</s:Envelope>'
  );
}

export interface ProbeMatch {
  /** EndpointReference address, usually urn:uuid:… — stable per device, used to de-duplicate. */
  urn: string;
  types: string[];
  scopes: string[];
  xaddrs: string[];
  name?: string;
  hardware?: string;
}

const words = (v: XmlValue | undefined) => (textOf(v) ?? '').split(/\s+/).filter(Boolean);

/** `onvif://www.onvif.org/<key>/<value>`, the value percent-encoded. */
export const scopeUri = (key: string, value: string) => `onvif://www.onvif.org/${key}/${encodeURIComponent(value)}`;

/** Value of an onvif://www.onvif.org/<key>/<value> scope, percent-decoded ("name/HIKVISION%20DS-2DE"). */
export function scopeValue(scopes: string[], key: string): string | undefined {
  const prefix = `onvif://www.onvif.org/${key.toLowerCase()}/`;
  const hit = scopes.find((s) => s.toLowerCase().startsWith(prefix) && s.length > prefix.length);
  if (!hit) return undefined;
  const raw = hit.slice(prefix.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * ProbeMatches → matches; anything unparsable gives [] (read leniently: it comes off a shared network).
 * RelatesTo is deliberately not checked: real cameras echo nonsense there (Amcrest answers "uuid:Device").
 */
export function parseProbeMatches(xml: string): ProbeMatch[] {
  let body: XmlNode;
  try {
    body = parseSoap(xml, { strict: false }).body;
  } catch {
    return [];
  }
  const raw = at(body, 'ProbeMatches', 'ProbeMatch');
  const list: XmlValue[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list
    .map((m) => {
      const scopes = words(at(m, 'Scopes'));
      const name = scopeValue(scopes, 'name');
      const hardware = scopeValue(scopes, 'hardware');
      return {
        urn: textOf(at(m, 'EndpointReference', 'Address')) ?? '',
        types: words(at(m, 'Types')),
        scopes,
        xaddrs: words(at(m, 'XAddrs')),
        ...(name ? { name } : {}),
        ...(hardware ? { hardware } : {}),
      };
    })
    .filter((m) => m.xaddrs.length > 0);
}
