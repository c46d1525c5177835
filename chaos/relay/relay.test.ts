// The relay with real sockets on loopback: 127.0.0.2 stands for the relay's address, 127.0.0.1 for the hub's.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../until.js';
import { startRelay } from './relay-main.js';

const closers: (() => void)[] = [];
afterAll(() => {
  for (const c of closers) c();
});

async function rig() {
  const tcpPort = await freePort();
  const udpPort = 30000 + Math.floor(Math.random() * 20000);
  // the "hub": UDP and TCP echo on 127.0.0.1
  const echoUdp = createSocket('udp4');
  echoUdp.on('message', (m, r) => echoUdp.send(m, r.port, r.address));
  await new Promise<void>((r) => echoUdp.bind(udpPort, '127.0.0.1', r));
  const echoTcp = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echoTcp.listen(tcpPort, '127.0.0.1', r));
  const relay = await startRelay({
    listenHost: '127.0.0.2',
    upstreamHost: '127.0.0.1',
    upstreamBind: '127.0.0.1',
    tcpPorts: [tcpPort],
    udpPorts: [udpPort, udpPort],
    seed: 1,
    control: join(tmpdir(), `chaos-relay-test-${process.pid}-${udpPort}.sock`),
  });
  const client = createSocket('udp4');
  await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
  const got: string[] = [];
  client.on('message', (m) => got.push(String(m)));
  closers.push(() => {
    echoUdp.close();
    echoTcp.close();
    client.close();
  });
  return { relay, tcpPort, udpPort, client, got, send: (s: string) => client.send(s, udpPort, '127.0.0.2') };
}

describe('impairment relay', () => {
  it('UDP: a flow goes to the hub and back through it; loss 100 % and down drop everything', async () => {
    const r = await rig();
    r.send('a');
    await until(() => r.got.includes('a'), { timeoutMs: 5000, what: 'echo' });
    r.relay.set({ lossPct: 100 });
    const dropped = r.relay.stats.up.dropped;
    for (let k = 0; k < 20; k++) r.send(`lost${k}`);
    await until(() => r.relay.stats.up.dropped === dropped + 20, { timeoutMs: 5000, what: '20 dropped', everyMs: 5 });
    r.relay.set({ lossPct: 0, down: true });
    for (let k = 0; k < 20; k++) r.send(`down${k}`);
    await until(() => r.relay.stats.up.dropped === dropped + 40, { timeoutMs: 5000, what: '40 dropped', everyMs: 5 });
    r.relay.set({ down: false });
    r.send('b');
    await until(() => r.got.includes('b'), { timeoutMs: 5000, what: 'echo after' });
    expect(r.got.filter((g) => g.startsWith('lost') || g.startsWith('down'))).toEqual([]);
  });

  it('UDP delay: the echo takes the delay both ways', async () => {
    const r = await rig();
    r.relay.set({ delayMs: 60 });
    const t0 = performance.now();
    r.send('slow');
    await until(() => r.got.includes('slow'), { timeoutMs: 5000, what: 'delayed echo', everyMs: 5 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it('TCP: bytes in order; held while down (connection kept), delivered when up', async () => {
    const r = await rig();
    const sock = connect(r.tcpPort, '127.0.0.2');
    await once(sock, 'connect');
    let got = '';
    sock.on('data', (d) => (got += d));
    sock.write('one,');
    await until(() => got === 'one,', { timeoutMs: 5000, what: 'tcp echo' });
    r.relay.set({ down: true });
    sock.write('two,');
    sock.write('three,');
    await new Promise((res) => setTimeout(res, 300)); // the condition here is that nothing arrives while down
    expect(got).toBe('one,');
    r.relay.set({ down: false, delayMs: 20, jitterMs: 15 });
    for (let k = 0; k < 50; k++) sock.write(`${k},`);
    const want = `one,two,three,${Array.from({ length: 50 }, (_, k) => `${k},`).join('')}`;
    await until(() => got === want, { timeoutMs: 10_000, what: 'all bytes in order' });
    expect(sock.destroyed).toBe(false);
    sock.destroy();
  });
});
