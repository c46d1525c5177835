// The SOAP HTTP listener: moves bytes between node:http and the dispatcher, and applies the
// transport-level faults (offline closes the listener, latency delays — all answers or one operation's —,
// garbage corrupts the reply). It counts the traffic so tests can see what a client really did.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Faults } from '../faults.js';
import type { HttpRequestInfo } from './http-auth.js';
import type { SoapReply } from './soap-dispatch.js';
import { SOAP_CONTENT_TYPE } from '../../common/protocols/onvif/index.js';

export interface SoapHttpDeps {
  host: string;
  port: number;
  handle(xml: string, http: HttpRequestInfo): SoapReply;
  faults(): Faults;
  /** Extra delay of one operation's answers (a camera slow at GetProfiles, say), ms. */
  actionLatency(action: string | undefined): number;
}

/** What clients did: requests per operation, how many were in flight at once, how many were abandoned. */
export interface SoapTraffic {
  requests: { action: string; status: number }[];
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client went away before the answer (aborted, timed out). */
  aborted: number;
}

const MAX_BODY = 1 << 20;

export function createSoapHttpServer(deps: SoapHttpDeps) {
  const timers = new Set<NodeJS.Timeout>();
  let port = deps.port;
  let listening = false;
  const traffic: SoapTraffic = { requests: [], inFlight: 0, maxInFlight: 0, aborted: 0 };

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: Buffer | string,
    extra: SoapReply['headers'] = {},
    action?: string,
  ) => {
    const delay = deps.faults().latencyMs + deps.actionLatency(action);
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(status, { ...extra, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (delay <= 0) return write();
    const t = setTimeout(() => (timers.delete(t), write()), delay);
    timers.add(t);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/onvif/')) return send(res, 404, 'text/plain', 'Not Found');
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'Method Not Allowed');
    traffic.inFlight++;
    traffic.maxInFlight = Math.max(traffic.maxInFlight, traffic.inFlight);
    res.once('close', () => {
      traffic.inFlight--;
      if (!res.writableFinished) traffic.aborted++;
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const http = { method: req.method ?? 'POST', uri: req.url ?? '/', authorization: req.headers.authorization };
      const reply = deps.handle(Buffer.concat(chunks).toString('utf8'), http);
      traffic.requests.push({ action: reply.action ?? '?', status: reply.status });
      if (deps.faults().garbage) {
        // Cut the real reply mid-element and add binary noise: neither well-formed XML nor SOAP.
        const cut = reply.xml.slice(0, Math.floor(reply.xml.length / 3));
        return send(res, 200, SOAP_CONTENT_TYPE, Buffer.concat([Buffer.from(cut), randomBytes(32)]));
      }
      send(res, reply.status, reply.contentType ?? SOAP_CONTENT_TYPE, reply.xml, reply.headers, reply.action);
    });
  };

  const server = createServer(onRequest);

  async function listen(): Promise<void> {
    if (listening) return;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, deps.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') port = addr.port; // keep the auto port across offline/online
    listening = true;
  }

  async function close(): Promise<void> {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Drop keep-alive and in-flight connections too, so clients see a reset rather than a hang.
    server.closeAllConnections();
    await closed;
  }

  return {
    listen,
    close,
    traffic,
    get port() {
      return port;
    },
    get listening() {
      return listening;
    },
  };
}

export type SoapHttpServer = ReturnType<typeof createSoapHttpServer>;
