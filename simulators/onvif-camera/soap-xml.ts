// Response-side SOAP 1.2 text: namespaces, escaping, the envelope and ONVIF faults. Pure string building.

export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  xsd: 'http://www.w3.org/2001/XMLSchema',
} as const;

export const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

export function esc(s: string | number | boolean): string {
  return String(s).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Numbers as vendors print them: plain decimals, no exponent, no float noise. */
export function num(n: number): string {
  const r = Math.round(n * 1e6) / 1e6;
  return String(Object.is(r, -0) ? 0 : r);
}

/** Every namespace declared once on the Envelope, as Hikvision/Axis/Dahua responses do. */
export function envelope(body: string): string {
  const decl = Object.entries(NS)
    .map(([p, uri]) => `xmlns:${p}="${uri}"`)
    .join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope ${decl}><env:Header/><env:Body>${body}</env:Body></env:Envelope>`;
}

export type FaultCode = 'Sender' | 'Receiver';

/** A SOAP fault raised by an operation; the dispatcher turns it into an envelope and an HTTP status. */
export class SoapFault extends Error {
  constructor(
    readonly code: FaultCode,
    /** ONVIF subcodes without prefix, outermost first, e.g. ['InvalidArgVal', 'NoToken']. */
    readonly subcodes: string[],
    reason: string,
  ) {
    super(reason);
  }

  /** SOAP 1.2 HTTP binding: Sender faults are 400, Receiver faults 500. */
  get httpStatus(): number {
    return this.code === 'Sender' ? 400 : 500;
  }
}

export const invalidArg = (sub: string, reason: string) => new SoapFault('Sender', ['InvalidArgVal', sub], reason);

export function faultXml(f: SoapFault): string {
  let sub = '';
  for (const s of [...f.subcodes].reverse()) sub = `<env:Subcode><env:Value>ter:${s}</env:Value>${sub}</env:Subcode>`;
  return envelope(
    `<env:Fault><env:Code><env:Value>env:${f.code}</env:Value>${sub}</env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${esc(f.message)}</env:Text></env:Reason></env:Fault>`,
  );
}
