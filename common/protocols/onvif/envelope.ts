// SOAP 1.2 envelopes as ONVIF uses them: building requests and responses, and reading either.
import { NS } from './namespaces.js';
import { SoapFault } from './fault.js';
import { xmlEscape } from './xml-escape.js';
import { isNode, localName, localize, parseXml, type XmlNode, type XmlValue } from './xml-tree.js';
import { usernameTokenXml, type UsernameTokenOptions } from './ws-security.js';

/** Response: every namespace declared once on the Envelope, as Hikvision/Axis/Dahua answers do. */
export function responseEnvelope(body: string): string {
  const decl = Object.entries(NS)
    .map(([p, uri]) => `xmlns:${p}="${uri}"`)
    .join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope ${decl}><env:Header/><env:Body>${body}</env:Body></env:Envelope>`;
}

/** The fault envelope (`env:` code, `ter:` subcodes, an English reason). */
export function faultXml(f: SoapFault): string {
  let sub = '';
  for (const s of [...f.subcodes].reverse()) sub = `<env:Subcode><env:Value>ter:${xmlEscape(s)}</env:Value>${sub}</env:Subcode>`;
  return responseEnvelope(
    `<env:Fault><env:Code><env:Value>env:${f.code}</env:Value>${sub}</env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${xmlEscape(f.message)}</env:Text></env:Reason></env:Fault>`,
  );
}

/** Request with the tds/trt/tptz/tt prefixes declared and, when given, a WS-Security UsernameToken header. */
export function buildRequest(body: string, sign?: UsernameTokenOptions): string {
  const header = sign ? usernameTokenXml(sign) : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.env}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" ` +
    `xmlns:tptz="${NS.tptz}" xmlns:tt="${NS.tt}"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

export interface SoapMessage {
  /** Namespace URI of the first Body element (the operation, response or Fault), '' when undeclared. */
  ns: string;
  /** Its local name: 'GetStatus', 'GetStatusResponse', 'Fault', 'Probe'… */
  action: string;
  /** Header and Body children with local names only. */
  header: XmlNode;
  body: XmlNode;
  /** The first Body element itself (`body[action]`, `{}` when it is empty). */
  operation: XmlNode;
}

function findLocal(node: XmlNode, name: string): XmlValue | undefined {
  const key = Object.keys(node).find((k) => !k.startsWith('@_') && localName(k) === name);
  return key === undefined ? undefined : node[key];
}

/**
 * Reads an envelope. What is not a SOAP message throws a SoapFault a camera would answer with
 * (Sender/WellFormed, Sender/InvalidArgs for an empty Body). `strict: false` tolerates XML that is not
 * quite well-formed (some cameras' WS-Discovery answers) instead of refusing it.
 */
export function parseSoap(xml: string, opts: { strict?: boolean } = {}): SoapMessage {
  let doc: XmlNode;
  try {
    doc = parseXml(xml, opts.strict ?? true);
  } catch (e) {
    throw new SoapFault('Sender', ['WellFormed'], `Malformed XML: ${(e as Error).message ?? e}`);
  }
  const env = isNode(doc) ? findLocal(doc, 'Envelope') : undefined;
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
  const localBody = localize(body) as XmlNode;
  const action = localName(opKey);
  const operation = localBody[action];
  return {
    ns: typeof ns === 'string' ? ns : '',
    action,
    header: isNode(header) ? (localize(header) as XmlNode) : {},
    body: localBody,
    operation: isNode(operation) ? operation : Array.isArray(operation) && isNode(operation[0]) ? operation[0] : {},
  };
}
