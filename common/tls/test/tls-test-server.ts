import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

// For the tests of common/tls (and the hub impostor test): a real HTTPS + WSS server on a free loopback
// port, answering GET/PUT with {method, bytes}, greeting each WebSocket with 'hello', and counting the
// HTTP requests and upgrades that got past the TLS handshake (with their Authorization headers).

export async function startTlsTestServer(keyPem: string, certPem: string) {
  const seen: { url: string; authorization?: string }[] = [];
  const server: Server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    let bytes = 0;
    req.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, bytes })));
  });
  server.on('request', (req) => seen.push({ url: req.url ?? '', authorization: req.headers.authorization }));
  server.on('upgrade', (req) => seen.push({ url: req.url ?? '', authorization: req.headers.authorization }));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.send('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    server,
    /** Requests and WebSocket upgrades that completed a TLS handshake. */
    seen,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
