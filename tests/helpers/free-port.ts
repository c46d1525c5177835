import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Ports for processes a test starts later. They are taken below the kernel's ephemeral range: a port the OS
// hands out from listen(0) lies inside that range, and between our check and the child's bind an outgoing
// connection of the same test (daemon → hub, gateway → hub) may be given it — seen in CI as
// "bind EADDRINUSE 127.0.0.1:43627" for a gateway. Below the range, only an explicit bind can take a port.
// Ports already handed out by this process are never handed out again (two rooms started at once).
const handedOut = new Set<number>();

/** Lowest port of the kernel's ephemeral range (32768 unless the box says otherwise). */
function ephemeralFloor(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const FLOOR = 10_000;
// Ports browsers and fetch() refuse to connect to (WHATWG Fetch, "bad port"): in our range, only 10080. Handed
// out, it failed a bench as "cannot reach the hub at http://127.0.0.1:10080: Error: bad port".
const FETCH_BAD_PORTS = new Set([10_080]);
const CEILING = ephemeralFloor(); // exclusive

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A TCP port free right now on loopback, outside the ephemeral range, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = FLOOR + Math.floor(Math.random() * (CEILING - FLOOR));
    if (handedOut.has(port) || FETCH_BAD_PORTS.has(port)) continue;
    handedOut.add(port);
    if (await bindable(port)) return port;
  }
}
