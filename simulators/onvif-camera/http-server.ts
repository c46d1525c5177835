// The SOAP HTTP listener: moves bytes between node:http and the dispatcher, and applies the
// transport-level faults (offline closes the listener, latency delays, garbage corrupts the reply).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Faults } from '../faults.js';
import type { SoapReply } from './soap-dispatch.js';
import { SOAP_CONTENT_TYPE } from '../../common/protocols/onvif/index.js';

export interface SoapHttpDeps {
  host: string;
  port: number;
  handle(xml: string): SoapReply;
  faults(): Faults;
}

const MAX_BODY = 1 << 20;

export function createSoapHttpServer(deps: SoapHttpDeps) {
  const timers = new Set<NodeJS.Timeout>();
  let port = deps.port;
  let listening = false;

  const send = (res: ServerResponse, status: number, type: string, body: Buffer | string) => {
    const f = deps.faults();
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (f.latencyMs <= 0) return write();
    const t = setTimeout(() => (timers.delete(t), write()), f.latencyMs);
    timers.add(t);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/onvif/')) return send(res, 404, 'text/plain', 'Not Found');
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'Method Not Allowed');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const reply = deps.handle(Buffer.concat(chunks).toString('utf8'));
      if (deps.faults().garbage) {
        // Cut the real reply mid-element and add binary noise: neither well-formed XML nor SOAP.
        const cut = reply.xml.slice(0, Math.floor(reply.xml.length / 3));
        return send(res, 200, SOAP_CONTENT_TYPE, Buffer.concat([Buffer.from(cut), randomBytes(32)]));
      }
      send(res, reply.status, SOAP_CONTENT_TYPE, reply.xml);
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
    get port() {
      return port;
    },
    get listening() {
      return listening;
    },
  };
}

export type SoapHttpServer = ReturnType<typeof createSoapHttpServer>;
