// SOAP 1.2 faults with ONVIF subcodes (ONVIF Core §5.11): raising one (camera side) and reading one
// (client side). Sender faults travel as HTTP 400, Receiver faults as 500 (SOAP 1.2 HTTP binding).
import { at, textOf, type XmlNode } from './xml-tree.js';

export type FaultCode = 'Sender' | 'Receiver';

/** A fault to answer with; `subcodes` without prefix, outermost first, e.g. ['InvalidArgVal', 'NoToken']. */
export class SoapFault extends Error {
  constructor(
    readonly code: FaultCode,
    readonly subcodes: string[],
    reason: string,
  ) {
    super(reason);
  }

  get httpStatus(): number {
    return this.code === 'Sender' ? 400 : 500;
  }
}

export const invalidArg = (sub: string, reason: string) => new SoapFault('Sender', ['InvalidArgVal', sub], reason);

/** A fault as a client reads it: values as the camera wrote them, prefixes kept. */
export interface FaultInfo {
  code: string;
  /** Subcode chain, outermost first: ['ter:InvalidArgVal', 'ter:NoToken']. */
  subcodes: string[];
  reason: string;
}

/** The fault in a SOAP Body (a local-name tree, ours or node-onvif's), or undefined when it holds none. */
export function parseFault(body: XmlNode | null | undefined): FaultInfo | undefined {
  const f = at(body ?? undefined, 'Fault');
  if (!f || typeof f !== 'object') return undefined;
  const subcodes: string[] = [];
  for (let s = at(f, 'Code', 'Subcode'); s && subcodes.length < 8; s = at(s, 'Subcode')) {
    const v = textOf(at(s, 'Value'));
    if (v) subcodes.push(v);
  }
  // SOAP 1.1 faults (some old firmwares) use faultcode/faultstring.
  const code = textOf(at(f, 'Code', 'Value')) ?? textOf(at(f, 'faultcode')) ?? '';
  const reason = textOf(at(f, 'Reason', 'Text')) ?? textOf(at(f, 'faultstring')) ?? '';
  return { code, subcodes, reason };
}
