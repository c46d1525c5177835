// A real coturn (Debian's `turnserver`) for a test: its own config (TURN REST API secret, ports the test chose,
// relay ports in a small range), run in the test's network namespace when one is given, stopped with the test.
// Never the system service: no /etc/turnserver.conf, no /var/lib/turn (userdb and pid file in the test's dir).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from './until.js';

export const turnserverInstalled = () => existsSync('/usr/bin/turnserver');

export interface CoturnOptions {
  dir: string;
  secret: string;
  /** Where clients reach it (TURN/UDP and TURN/TCP on `port`, TURN/TLS on `tlsPort`). */
  listenIp: string;
  /** Where relayed media leaves from (the side of the hub). */
  relayIp: string;
  port: number;
  tlsPort?: number;
  /** PEM files for TURN/TLS. */
  certFile?: string;
  keyFile?: string;
  relayPorts: [number, number];
  /** The namespace to run in (`ip netns exec`); none: this one. */
  ns?: string;
  /** No UDP client listener: TURN over TCP/TLS only. */
  noUdp?: boolean;
  /** No plain TCP client listener: TURN/TLS only (with noUdp). */
  noTcp?: boolean;
  allowLoopbackPeers?: boolean;
}

export interface Coturn {
  log: () => string;
  /** Allocations coturn reported as made (its log), by the TURN transport the client used. */
  sessions: () => string[];
  stop(): Promise<void>;
}

export async function startCoturn(o: CoturnOptions): Promise<Coturn> {
  const conf = join(o.dir, 'turnserver.conf');
  const logFile = join(o.dir, 'turnserver.log');
  const lines = [
    `listening-ip=${o.listenIp}`,
    `listening-port=${o.port}`,
    `relay-ip=${o.relayIp}`,
    `min-port=${o.relayPorts[0]}`,
    `max-port=${o.relayPorts[1]}`,
    'use-auth-secret',
    `static-auth-secret=${o.secret}`,
    'realm=reception.test',
    'fingerprint',
    'no-cli',
    'no-dtls',
    'no-multicast-peers',
    'no-software-attribute',
    `userdb=${join(o.dir, 'turndb')}`,
    `pidfile=${join(o.dir, 'turnserver.pid')}`,
    'log-file=stdout',
    'simple-log',
    'verbose',
    ...(o.tlsPort && o.certFile && o.keyFile ? [`tls-listening-port=${o.tlsPort}`, `cert=${o.certFile}`, `pkey=${o.keyFile}`] : ['no-tls']),
    ...(o.noUdp ? ['no-udp'] : []),
    ...(o.noTcp ? ['no-tcp'] : []),
    ...(o.allowLoopbackPeers ? ['allow-loopback-peers'] : []),
  ];
  writeFileSync(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
  const cmd = o.ns ? ['ip', ['netns', 'exec', o.ns, 'turnserver', '-c', conf]] : ['turnserver', ['-c', conf]];
  let out = '';
  const child: ChildProcess = spawn(cmd[0] as string, cmd[1] as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 4_000_000) out = out.slice(-2_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    writeFileSync(logFile, out);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
  };
  // Ready when its TCP (or TLS) listener accepts (probed from its namespace).
  const probePort = o.noTcp && o.tlsPort ? o.tlsPort : o.port;
  const probe = () =>
    spawnSync('bash', ['-c', `${o.ns ? `ip netns exec ${o.ns} ` : ''}bash -c 'exec 3<>/dev/tcp/${o.listenIp}/${probePort}' 2>/dev/null`], {
      stdio: 'ignore',
    }).status === 0;
  try {
    await until(
      () => `coturn listening on ${o.listenIp}:${probePort} (exit ${child.exitCode}; log: ${out.slice(-600)})`,
      20_000,
      () => {
        if (child.exitCode !== null) throw new Error(`coturn exited ${child.exitCode}: ${out.slice(-1500)}`);
        return probe();
      },
      100,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    log: () => out,
    sessions: () => out.split('\n').filter((l) => /new, realm=|ALLOCATE processed, success/.test(l)),
    stop,
  };
}
