// The chaos link, made and removed by the runner (root): three network namespaces and two veth pairs.
//
//   <p>-room  [r0 10.77.1.2] ──veth── [r1 10.77.1.1 = RELAY_ADDR] <p>-relay [h1 10.77.2.1] ──veth── [h0 10.77.2.2 = HUB_ADDR]  <p>-hub
//
// No forwarding in the relay namespace (a fresh namespace has ip_forward 0): the room reaches the hub only
// through the relay's sockets. Rate caps: tbf on r0 (room → hub) and r1 (hub → room). Names carry the part
// letter and the runner's pid (team rule): chz-p-<pid>-{room,relay,hub}, veths cp<pid>{r0,r1,h0,h1}.
import { execFileSync, spawnSync } from 'node:child_process';

export const ROOM_ADDR = '10.77.1.2';
export const RELAY_ADDR = '10.77.1.1';
export const RELAY_UP_ADDR = '10.77.2.1';
export const HUB_ADDR = '10.77.2.2';

export interface Topology {
  ns: { room: string; relay: string; hub: string };
  dev: { r0: string; r1: string; h0: string; h1: string };
}

/** `lane`: one letter for a second link of the same runner (a long scenario runs beside the others). */
export function topologyNames(pid = process.pid, lane = ''): Topology {
  const p = `chz-p-${pid}${lane}`;
  const d = `cp${pid}${lane}`;
  return {
    ns: { room: `${p}-room`, relay: `${p}-relay`, hub: `${p}-hub` },
    dev: { r0: `${d}r0`, r1: `${d}r1`, h0: `${d}h0`, h1: `${d}h1` },
  };
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function createTopology(t: Topology): void {
  removeTopology(t);
  for (const n of Object.values(t.ns)) {
    ip('netns', 'add', n);
    ip('-n', n, 'link', 'set', 'lo', 'up');
  }
  // veths are made in the relay namespace, then one end moved out (their names stay unique there).
  ip('-n', t.ns.relay, 'link', 'add', t.dev.r1, 'type', 'veth', 'peer', 'name', t.dev.r0);
  ip('-n', t.ns.relay, 'link', 'set', t.dev.r0, 'netns', t.ns.room);
  ip('-n', t.ns.relay, 'link', 'add', t.dev.h1, 'type', 'veth', 'peer', 'name', t.dev.h0);
  ip('-n', t.ns.relay, 'link', 'set', t.dev.h0, 'netns', t.ns.hub);
  const addr = (ns: string, dev: string, a: string) => {
    ip('-n', ns, 'addr', 'add', `${a}/24`, 'dev', dev);
    ip('-n', ns, 'link', 'set', dev, 'up');
  };
  addr(t.ns.room, t.dev.r0, ROOM_ADDR);
  addr(t.ns.relay, t.dev.r1, RELAY_ADDR);
  addr(t.ns.relay, t.dev.h1, RELAY_UP_ADDR);
  addr(t.ns.hub, t.dev.h0, HUB_ADDR);
  execFileSync('ip', ['netns', 'exec', t.ns.relay, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);
}

export function removeTopology(t: Topology): void {
  removeNamespaces(Object.values(t.ns));
}

/** Deleting a namespace removes its veths (and their tbf qdiscs). */
export function removeNamespaces(names: string[]): void {
  for (const n of names) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
}

/** tbf on both directions of the room's link (null: no cap). burst ~ 40 ms of the rate (≥ 4 KiB), queue ≤ 300 ms. */
export function setRate(t: Topology, kbit: number | null): void {
  for (const [ns, dev] of [
    [t.ns.room, t.dev.r0],
    [t.ns.relay, t.dev.r1],
  ] as const) {
    if (kbit === null) {
      spawnSync('tc', ['-n', ns, 'qdisc', 'del', 'dev', dev, 'root'], { stdio: 'ignore' });
      continue;
    }
    const burstBytes = Math.max(4096, Math.round((kbit * 1000) / 8 / 25));
    execFileSync('tc', [
      '-n',
      ns,
      'qdisc',
      'replace',
      'dev',
      dev,
      'root',
      'tbf',
      'rate',
      `${kbit}kbit`,
      'burst',
      String(burstBytes),
      'latency',
      '300ms',
    ]);
  }
}

/** Namespaces of this part left by runs that died (their pid is gone). */
export function staleNamespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return (r.stdout ?? '')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => {
      const m = /^chz-p-(\d+)[a-z]?-(room|relay|hub)$/.exec(n);
      return m && spawnSync('kill', ['-0', m[1]!]).status !== 0;
    });
}
