// One SOAP request in, one reply out: parse, authenticate, route by operation namespace, build the
// envelope or the fault. No sockets here; the HTTP server only moves bytes.
import {
  checkUsernameToken,
  faultXml,
  NS,
  parseSoap,
  readUsernameToken,
  responseEnvelope,
  SoapFault,
  type XmlNode,
} from '../../common/protocols/onvif/index.js';
import { deviceOps, type ServiceContext } from './device-service.js';
import { mediaOps } from './media-service.js';
import type { PtzState } from './ptz-moves.js';
import { ptzOps } from './ptz-service.js';

export interface SoapReply {
  status: number;
  xml: string;
  action?: string;
}

export interface DispatchDeps {
  ctx: ServiceContext;
  ptz: PtzState;
  credentials: { username: string; password: string };
  /** Fault injection: answer every PTZ operation with a Receiver fault. */
  protocolError(): boolean;
}

type Table = Record<string, (deps: DispatchDeps, body: XmlNode) => string>;

const tables: [string, Table][] = [
  [NS.tds, wrap(deviceOps, (d) => d.ctx)],
  [NS.trt, wrap(mediaOps, (d) => d.ctx)],
  [NS.tptz, wrap(ptzOps, (d) => d.ptz)],
];

function wrap<C>(ops: Record<string, (c: C, body: XmlNode) => string>, pick: (d: DispatchDeps) => C): Table {
  return Object.fromEntries(Object.entries(ops).map(([k, op]) => [k, (d: DispatchDeps, b: XmlNode) => op(pick(d), b)]));
}

/** Known namespace → its table; unknown or missing namespace → first table with the name (lenient like real cameras). */
function route(ns: string, action: string): { ns: string; op: Table[string] } | undefined {
  const exact = tables.find(([n]) => n === ns);
  if (exact) return exact[1][action] ? { ns, op: exact[1][action] } : undefined;
  const any = tables.find(([, t]) => t[action]);
  return any ? { ns: any[0], op: any[1][action] } : undefined;
}

export function dispatchSoap(xml: string, deps: DispatchDeps, nowMs = Date.now()): SoapReply {
  let action: string | undefined;
  try {
    const req = parseSoap(xml);
    action = req.action;
    const found = route(req.ns, req.action);
    const preAuth = found?.ns === NS.tds && req.action === 'GetSystemDateAndTime';
    if (!preAuth) {
      const auth = checkUsernameToken(readUsernameToken(req.header), deps.credentials, nowMs);
      if (!auth.ok) throw new SoapFault('Sender', ['NotAuthorized'], auth.reason);
    }
    if (!found) throw new SoapFault('Receiver', ['ActionNotSupported'], `Action not supported: ${req.action}`);
    if (found.ns === NS.tptz && deps.protocolError()) {
      throw new SoapFault('Receiver', ['Action'], `Simulated PTZ failure in ${req.action}`);
    }
    return { status: 200, xml: responseEnvelope(found.op(deps, req.operation)), action };
  } catch (e) {
    if (e instanceof SoapFault) return { status: e.httpStatus, xml: faultXml(e), action };
    // A bug in a handler is still answered like a camera would: an internal Receiver fault.
    const f = new SoapFault('Receiver', ['Action'], `Internal error: ${(e as Error).message}`);
    return { status: 500, xml: faultXml(f), action };
  }
}
