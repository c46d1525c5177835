// Request-side SOAP: parse the envelope, find the operation (namespace + local name) and hand back
// the header and the operation element with prefixes stripped, so handlers read `PanTilt`, not `tt:PanTilt`.
import { XMLParser } from 'fast-xml-parser';
import { SoapFault } from './soap-xml.js';

export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [key: string]: XmlValue;
}

export interface SoapRequest {
  /** Namespace URI of the operation element, '' when undeclared. */
  ns: string;
  action: string;
  header: XmlNode;
  body: XmlNode;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: false,
});

const local = (key: string) => key.slice(key.indexOf(':') + 1);
const isNode = (v: XmlValue | undefined): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rebuild a subtree with local names only; xmlns declarations are dropped. */
export function localize(v: XmlValue): XmlValue {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(localize);
  const out: XmlNode = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === '@_xmlns' || k.startsWith('@_xmlns:')) continue;
    const name = k.startsWith('@_') ? `@_${local(k.slice(2))}` : k === '#text' ? k : local(k);
    out[name] = localize(val);
  }
  return out;
}

function findLocal(node: XmlNode, name: string): XmlValue | undefined {
  const key = Object.keys(node).find((k) => !k.startsWith('@_') && local(k) === name);
  return key === undefined ? undefined : node[key];
}

export function parseSoapRequest(xml: string): SoapRequest {
  let doc: XmlNode;
  try {
    doc = parser.parse(xml, true) as XmlNode;
  } catch (e) {
    throw new SoapFault('Sender', ['WellFormed'], `Malformed XML: ${(e as Error).message ?? e}`);
  }
  const env = findLocal(doc, 'Envelope');
  const body = isNode(env) ? findLocal(env, 'Body') : undefined;
  if (!isNode(env) || !isNode(body)) throw new SoapFault('Sender', ['WellFormed'], 'No SOAP Envelope/Body');
  const opKey = Object.keys(body).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!opKey) throw new SoapFault('Sender', ['InvalidArgs'], 'Empty SOAP Body');
  const raw = body[opKey];
  const op: XmlNode = isNode(raw) ? raw : {};
  const prefix = opKey.includes(':') ? opKey.slice(0, opKey.indexOf(':')) : '';
  const decl = prefix ? `@_xmlns:${prefix}` : '@_xmlns';
  // Innermost declaration wins: the operation element, then Body, then Envelope.
  const ns = [op[decl], body[decl], env[decl]].find((v) => typeof v === 'string');
  const header = findLocal(env, 'Header');
  return {
    ns: typeof ns === 'string' ? ns : '',
    action: local(opKey),
    header: isNode(header) ? (localize(header) as XmlNode) : {},
    body: localize(op) as XmlNode,
  };
}

/** Text content of an element, whether it parsed as a string or as `{ '#text', '@_attr' }`. */
export function text(v: XmlValue | undefined): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return text(v[0]);
  if (isNode(v) && typeof v['#text'] === 'string') return v['#text'];
  return '';
}

export function child(v: XmlValue | undefined, name: string): XmlValue | undefined {
  if (Array.isArray(v)) return child(v[0], name);
  return isNode(v) ? v[name] : undefined;
}

export function attr(v: XmlValue | undefined, name: string): string | undefined {
  const a = child(v, `@_${name}`);
  return typeof a === 'string' ? a : undefined;
}
