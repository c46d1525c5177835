import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// The tests' load balancer: one public address, TCP connections handed to the backends in turn (round-robin,
// as `balance roundrobin` in HAProxy's TCP mode or nginx's stream module do). A backend that refuses the
// connection is skipped and the next one tried (HAProxy's `option redispatch`), so a killed node costs a client
// one reconnect, not a stream of refusals. It knows nothing of HTTP: WebSockets, WHIP and uploads pass as bytes.
// Its own process, as a real one is: a test blocked in spawnSync (reception enroll) must not stall it.

export interface LbProxy {
  url: string;
  port: number;
  /** How many connections each backend got so far (by its index). */
  counts: number[];
  close(): Promise<void>;
}

const CHILD = `
const net = require('node:net');
const backends = JSON.parse(process.env.LB_BACKENDS);
let next = 0;
const server = net.createServer((client) => {
  client.pause();
  client.on('error', () => {});
  const start = next++;
  const attempt = (i) => {
    if (i >= backends.length) return client.destroy(); // no backend answers
    const n = (start + i) % backends.length;
    const up = net.connect(backends[n]);
    let connected = false;
    up.once('connect', () => {
      connected = true;
      process.stdout.write(JSON.stringify({ backend: n }) + '\\n');
      up.once('close', () => client.destroy());
      client.once('close', () => up.destroy());
      client.pipe(up);
      up.pipe(client);
      client.resume();
    });
    up.on('error', () => (connected ? client.destroy() : attempt(i + 1)));
  };
  attempt(0);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
`;

export async function startLbProxy(backends: { host: string; port: number }[]): Promise<LbProxy> {
  const child = spawn(process.execPath, ['-e', CHILD], {
    env: { ...process.env, LB_BACKENDS: JSON.stringify(backends) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const counts = backends.map(() => 0);
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`lb proxy exited (${code}) before listening`)));
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { port?: number; backend?: number };
      if (msg.port) resolve(msg.port);
      if (msg.backend !== undefined) counts[msg.backend]!++;
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
