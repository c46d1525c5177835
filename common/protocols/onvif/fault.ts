// SOAP 1.2 faults with ONVIF subcodes (ONVIF Core §5.11): raising one (camera side) and reading one
// (client side). Sender faults travel as HTTP 400, Receiver faults as 500 (SOAP 1.2 HTTP binding).
import { textOf, type XmlValue } from './xml-tree.js';

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

type Tree = Record<string, any>;

/** The fault in a SOAP Body (a local-name tree, ours or node-onvif's), or undefined when it holds none. */
export function parseFault(body: Tree | null | undefined): FaultInfo | undefined {
  const f = body?.Fault;
  if (!f || typeof f !== 'object') return undefined;
  const subcodes: string[] = [];
  for (let s = f.Code?.Subcode; s && subcodes.length < 8; s = s.Subcode) {
    const v = textOf(s.Value as XmlValue);
    if (v) subcodes.push(v);
  }
  // SOAP 1.1 faults (some old firmwares) use faultcode/faultstring.
  const code = textOf(f.Code?.Value) ?? textOf(f.faultcode) ?? '';
  const reason = textOf(f.Reason?.Text) ?? textOf(f.faultstring) ?? '';
  return { code, subcodes, reason };
}
