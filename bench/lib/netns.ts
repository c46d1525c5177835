import { execFileSync, spawnSync } from 'node:child_process';

// libnice (webrtcbin) never offers loopback candidates, and this machine may only talk to loopback
// or to namespaces we create. So benchmarks that involve webrtcbin run inside a private network
// namespace with a veth pair: its address is local to the namespace, nothing leaves it.
export const NETNS = 'rcp-bench';
export const NETNS_ADDRESS = '10.213.0.1';

export function inBenchNamespace(): boolean {
  return process.env.RCP_BENCH_NETNS === NETNS;
}

/** Re-runs this script inside the namespace (creating it if needed) and exits with its status. */
export function reexecInNamespace(): never {
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'ignore' });
  const exists = spawnSync('ip', ['netns', 'exec', NETNS, 'true']).status === 0;
  if (!exists) {
    ip('netns', 'add', NETNS);
    ip('-n', NETNS, 'link', 'set', 'lo', 'up');
    // A veth pair living wholly inside the namespace (this kernel has no dummy driver).
    ip('-n', NETNS, 'link', 'add', 'vb0', 'type', 'veth', 'peer', 'name', 'vb1');
    ip('-n', NETNS, 'addr', 'add', `${NETNS_ADDRESS}/24`, 'dev', 'vb0');
    ip('-n', NETNS, 'link', 'set', 'vb0', 'up');
    ip('-n', NETNS, 'link', 'set', 'vb1', 'up');
  }
  const r = spawnSync('ip', ['netns', 'exec', NETNS, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, RCP_BENCH_NETNS: NETNS },
  });
  process.exit(r.status ?? 1);
}
