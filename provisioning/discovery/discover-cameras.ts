import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import { buildProbe, parseProbeMatches, PROBE_TYPES, WSD_GROUP, WSD_PORT } from '../../common/protocols/onvif/index.js';

// Sends WS-Discovery Probes over UDP and collects the answers for `timeoutMs`. Unicast targets let a
// technician probe a camera on another subnet (multicast does not cross routers) and let tests probe
// a simulator on a loopback port; node-onvif's startProbe only knows multicast 3702.

export const WS_DISCOVERY_MULTICAST = `${WSD_GROUP}:${WSD_PORT}`;

export interface DiscoveredCamera {
  xaddrs: string[];
  name?: string;
  hardware?: string;
  scopes: string[];
  /** IP address the answer came from. */
  address: string;
  /** WS-Discovery endpoint reference (urn:uuid:…). */
  urn: string;
}

export interface DiscoverOptions {
  timeoutMs?: number;
  /** Unicast "host:port" targets; default the ONVIF multicast group. */
  targets?: string[];
}

function splitTarget(t: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(t.trim());
  if (!m) return { host: t.trim(), port: WSD_PORT };
  return { host: m[1]!, port: Number(m[2]) };
}

export async function discoverCameras(opts: DiscoverOptions = {}): Promise<DiscoveredCamera[]> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const targets = (opts.targets?.length ? opts.targets : [WS_DISCOVERY_MULTICAST]).map(splitTarget);
  const found = new Map<string, DiscoveredCamera>();
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', (msg, rinfo) => {
    for (const m of parseProbeMatches(msg.toString('utf8'))) {
      const key = m.urn || m.xaddrs.join(' ');
      if (found.has(key)) continue;
      const { types: _types, ...rest } = m;
      found.set(key, { ...rest, address: rinfo.address });
    }
  });
  // A socket error (e.g. no multicast route) ends the probe early with what we have.
  const failed = new Promise<void>((resolve) => socket.on('error', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => (socket.off('error', reject), resolve()));
    });
    for (const { host, port } of targets) {
      for (const type of PROBE_TYPES) {
        socket.send(buildProbe(randomUUID(), type), port, host, () => {});
      }
    }
    await Promise.race([new Promise((r) => setTimeout(r, timeoutMs)), failed]);
  } finally {
    try {
      socket.close();
    } catch {
      /* never bound */
    }
  }
  return [...found.values()];
}
