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
import { type DigestGate, type HttpRequestInfo, type SimAuthMode, UNAUTHORIZED_HTML } from './http-auth.js';
import { mediaOps } from './media-service.js';
import type { PtzState } from './ptz-moves.js';
import { ptzOps } from './ptz-service.js';

export interface SoapReply {
  status: number;
  xml: string;
  action?: string;
  /** Extra response headers (WWW-Authenticate: one value per challenge). */
  headers?: Record<string, string | string[]>;
  /** Default: SOAP 1.2. The digest-only 401 is an HTML page. */
  contentType?: string;
}

export interface DispatchDeps {
  ctx: ServiceContext;
  ptz: PtzState;
  credentials: { username: string; password: string };
  /** Fault injection: answer every PTZ operation with a Receiver fault. */
  protocolError(): boolean;
  /** Which credentials the camera takes; absent = WS-Security only. */
  auth?: { mode(): SimAuthMode; gate: DigestGate };
}

class Unauthorized401 extends Error {
  constructor(readonly stale: boolean) {
    super('HTTP 401');
  }
}

/** WS-Security and/or HTTP Digest, as the camera is set (http-auth.ts). */
function authenticate(req: { header: XmlNode }, deps: DispatchDeps, nowMs: number, http: HttpRequestInfo | undefined): void {
  const mode = deps.auth?.mode() ?? 'ws-security';
  const wsse = () => {
    const auth = checkUsernameToken(readUsernameToken(req.header), deps.credentials, nowMs);
    if (!auth.ok) throw new SoapFault('Sender', ['NotAuthorized'], auth.reason);
  };
  if (mode === 'ws-security') return wsse();
  const digest = http && deps.auth ? deps.auth.gate.check(http) : { ok: false as const, reason: 'no HTTP request', stale: false };
  if (digest.ok) return;
  // "both": a request carrying a UsernameToken (and no Digest) is judged on it, as Hikvision's "Digest/WSSE".
  if (mode === 'both' && !http?.authorization && readUsernameToken(req.header)) return wsse();
  throw new Unauthorized401(digest.stale);
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

export function dispatchSoap(xml: string, deps: DispatchDeps, nowMs = Date.now(), http?: HttpRequestInfo): SoapReply {
  let action: string | undefined;
  try {
    const req = parseSoap(xml);
    action = req.action;
    const found = route(req.ns, req.action);
    const preAuth = found?.ns === NS.tds && req.action === 'GetSystemDateAndTime';
    if (!preAuth) authenticate(req, deps, nowMs, http);
    if (!found) throw new SoapFault('Receiver', ['ActionNotSupported'], `Action not supported: ${req.action}`);
    if (found.ns === NS.tptz && deps.protocolError()) {
      throw new SoapFault('Receiver', ['Action'], `Simulated PTZ failure in ${req.action}`);
    }
    return { status: 200, xml: responseEnvelope(found.op(deps, req.operation)), action };
  } catch (e) {
    if (e instanceof Unauthorized401) {
      const challenges = deps.auth!.gate.challenges(e.stale);
      return { status: 401, xml: UNAUTHORIZED_HTML, action, headers: { 'WWW-Authenticate': challenges }, contentType: 'text/html' };
    }
    if (e instanceof SoapFault) return { status: e.httpStatus, xml: faultXml(e), action };
    // A bug in a handler is still answered like a camera would: an internal Receiver fault.
    const f = new SoapFault('Receiver', ['Action'], `Internal error: ${(e as Error).message}`);
    return { status: 500, xml: faultXml(f), action };
  }
}
