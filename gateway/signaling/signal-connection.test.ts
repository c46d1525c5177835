import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { silentLogger } from '../../common/log.js';
import { SignalConnection } from './signal-connection.js';

// A signaling socket that goes quiet while the hub answers a fresh connection is stuck (after a blackout
// its TCP retries at 3.2 s, 6.4 s… intervals): dropped at once (issue 12: media back ≤ 3 s). A hub that
// answers neither is only given up at the idle timeout.

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A hub whose signaling accepts the socket and then never says a word; `http` answers other requests. */
async function quietHub(http: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(http);
  const wss = new WebSocketServer({ server });
  wss.on('connection', () => undefined);
  server.on('close', () => wss.clients.forEach((c) => c.terminate()));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/signal`;
}

function open(url: string, o: { staleAfterMs: number; idleTimeoutMs: number }) {
  const c = new SignalConnection({ url, roomId: 'room-demo', roomName: 'Phòng', secret: 's', logger: silentLogger(), ...o });
  const t0 = Date.now();
  return new Promise<{ reason: string; ms: number }>((resolve) => c.on('closed', (reason) => resolve({ reason, ms: Date.now() - t0 })));
}

describe('SignalConnection: a silent socket', () => {
  it('is dropped once the hub answers a fresh request while the socket stays silent', async () => {
    const url = await quietHub((_req, res) => res.writeHead(404).end());
    const closed = await open(url, { staleAfterMs: 400, idleTimeoutMs: 20_000 });
    expect(closed.reason).toMatch(/silent/);
    expect(closed.reason).not.toMatch(/no message or pong/);
    expect(closed.ms).toBeLessThan(10_000); // ~0.5–1 s; the idle timeout (20 s here) would be the old way
  });

  it('is kept until the idle timeout when the hub does not answer a fresh request either', async () => {
    const url = await quietHub(() => undefined); // HTTP requests hang: no sign that this socket is the problem
    const closed = await open(url, { staleAfterMs: 300, idleTimeoutMs: 2500 });
    expect(closed.reason).toBe('hub silent: no message or pong in time');
    expect(closed.ms).toBeGreaterThanOrEqual(2400);
  });
});

describe('SignalConnection: the handshake', () => {
  let tcp: TcpServer | undefined;
  const sockets: { destroy(): void }[] = [];
  afterEach(() => {
    sockets.forEach((s) => s.destroy());
    return new Promise<void>((r) => (tcp ? tcp.close(() => r()) : r()));
  });

  it('has a deadline of its own, even while bytes trickle in (a socket idle timeout never fires then)', async () => {
    const timers: NodeJS.Timeout[] = [];
    tcp = createTcpServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
      s.write('HTTP/1.1 101 Switching'); // never a whole answer, always a little more
      timers.push(setInterval(() => s.writable && s.write(' '), 100));
    });
    await new Promise<void>((r) => tcp!.listen(0, '127.0.0.1', r));
    const url = `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}/api/v1/signal`;
    const c = new SignalConnection({
      url,
      roomId: 'room-demo',
      roomName: 'Phòng',
      secret: 's',
      logger: silentLogger(),
      handshakeTimeoutMs: 500,
    });
    const t0 = Date.now();
    const reason = await new Promise<string>((r) => c.on('closed', r));
    timers.forEach(clearInterval);
    expect(reason).toMatch(/handshake/);
    expect(Date.now() - t0).toBeLessThan(3000); // before: only ws's idle timeout, which trickling bytes keep resetting
  });
});
