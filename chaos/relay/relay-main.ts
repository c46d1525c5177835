// The impairment relay (runs inside the relay namespace, started by the runner): the room reaches the hub
// only through it. TCP: each accepted connection on listenHost:port is piped to upstreamHost:port. UDP:
// each hub ICE port P is bound on listenHost:P; every room flow (its address:port) gets its own upstream
// socket, so the hub sees one peer-reflexive address per flow and answers through it. Packets and chunks go
// through chaos/relay/impair.ts (seeded). Control: HTTP on a unix socket (POST /impair, GET /stats).
// Prints {"ready":true,...} once every socket is bound.
import { createSocket, type Socket } from 'node:dgram';
import { createServer as createHttp } from 'node:http';
import { createServer, connect, type Socket as TcpSocket } from 'node:net';
import { rmSync } from 'node:fs';
import { createImpairer, type ImpairState, type Impairer } from './impair.js';
import { createDelayQueue } from './delay-queue.js';

export interface RelayOptions {
  listenHost: string;
  upstreamHost: string;
  upstreamBind: string;
  tcpPorts: number[];
  udpPorts: [number, number];
  seed: number;
  control: string;
}

const stats = {
  up: { passed: 0, dropped: 0, bytes: 0 },
  down: { passed: 0, dropped: 0, bytes: 0 },
};

export async function startRelay(o: RelayOptions) {
  const impUp = createImpairer(o.seed);
  const impDown = createImpairer(o.seed ^ 0x5bd1e995);
  const set = (s: Partial<ImpairState>) => {
    impUp.set(s);
    impDown.set(s);
    if (s.down === false) for (const f of upListeners) f();
  };
  const upListeners = new Set<() => void>();

  // ---- UDP ----
  const udpDown: Socket[] = [];
  for (let port = o.udpPorts[0]; port <= o.udpPorts[1]; port++) {
    const down = createSocket('udp4');
    await new Promise<void>((res, rej) => {
      down.once('error', rej);
      down.bind(port, o.listenHost, () => res());
    });
    const flows = new Map<string, { sock: Socket; last: number }>();
    down.on('message', (msg, rinfo) => {
      const key = `${rinfo.address}:${rinfo.port}`;
      let flow = flows.get(key);
      if (!flow) {
        const sock = createSocket('udp4');
        sock.bind(0, o.upstreamBind);
        sock.on('message', (back) => forwardUdp(impDown, stats.down, back, () => down.send(back, rinfo.port, rinfo.address)));
        sock.on('error', () => undefined);
        flow = { sock, last: 0 };
        flows.set(key, flow);
      }
      flow.last = performance.now();
      const f = flow;
      forwardUdp(impUp, stats.up, msg, () => f.sock.send(msg, port, o.upstreamHost));
    });
    down.on('error', () => undefined);
    setInterval(() => {
      const now = performance.now();
      for (const [k, f] of flows)
        if (now - f.last > 120_000) {
          f.sock.close();
          flows.delete(k);
        }
    }, 30_000).unref();
    udpDown.push(down);
  }

  // ---- TCP ----
  for (const port of o.tcpPorts) {
    const server = createServer((client) => {
      const upstream = connect({ host: o.upstreamHost, port, localAddress: o.upstreamBind });
      pipeImpaired(client, upstream, impUp, stats.up, upListeners);
      pipeImpaired(upstream, client, impDown, stats.down, upListeners);
      const kill = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', kill);
      upstream.on('error', kill);
    });
    await new Promise<void>((res) => server.listen(port, o.listenHost, res));
  }

  // ---- control ----
  rmSync(o.control, { force: true });
  const http = createHttp((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/impair') set(JSON.parse(body || '{}') as Partial<ImpairState>);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ state: impUp.state, ...stats }));
    });
  });
  await new Promise<void>((res) => http.listen(o.control, res));
  return { set, stats };
}

function forwardUdp(imp: Impairer, s: { passed: number; dropped: number; bytes: number }, msg: Buffer, send: () => void) {
  const d = imp.udp();
  if (d === null) {
    s.dropped++;
    return;
  }
  s.passed++;
  s.bytes += msg.length;
  if (d < 1) send();
  else setTimeout(send, d);
}

/** src → dst through the impairer: in order, delayed, held (src paused) while the link is down. */
function pipeImpaired(
  src: TcpSocket,
  dst: TcpSocket,
  imp: Impairer,
  s: { passed: number; dropped: number; bytes: number },
  upListeners: Set<() => void>,
) {
  const q = createDelayQueue((buf: Buffer) => {
    if (!dst.destroyed) dst.write(buf);
  });
  let prev = 0;
  const held: Buffer[] = [];
  const push = (buf: Buffer) => {
    const now = performance.now();
    const at = imp.tcp(now, prev);
    if (at === null) {
      held.push(buf);
      src.pause();
      return;
    }
    prev = at;
    s.passed++;
    s.bytes += buf.length;
    q.push(buf, at);
  };
  const onUp = () => {
    const h = held.splice(0);
    for (const b of h) push(b);
    if (!held.length) src.resume();
  };
  upListeners.add(onUp);
  src.on('data', (buf: Buffer) => (held.length ? held.push(buf) : push(buf)));
  src.on('end', () => q.whenDrained(() => dst.end()));
  src.on('close', () => {
    upListeners.delete(onUp);
    q.whenDrained(() => dst.destroy());
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = JSON.parse(process.argv[2]!) as RelayOptions;
  startRelay(o).then(
    () => process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`),
    (err) => {
      process.stderr.write(`relay failed: ${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
}
