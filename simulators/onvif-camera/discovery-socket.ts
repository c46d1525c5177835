// WS-Discovery responder socket: listens on UDP (multicast group + unicast), answers Probes that
// match with a ProbeMatches sent back to the prober's address and port (SOAP-over-UDP unicast reply).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Faults } from '../faults.js';
import { parseProbe, probeMatches, probeMatchesXml, WSD_GROUP, type Advert } from '../../common/protocols/onvif/index.js';

export interface DiscoveryDeps {
  port: number;
  /** Bind address; undefined = all interfaces (needed to receive multicast on Linux). */
  address?: string;
  advert(): Advert;
  faults(): Faults;
}

export function createDiscoveryResponder(deps: DiscoveryDeps) {
  let socket: Socket | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const reply = (msg: Buffer, peer: RemoteInfo) => {
    const f = deps.faults();
    if (f.offline || !socket) return;
    const probe = parseProbe(msg.toString('utf8'));
    const ad = deps.advert();
    if (!probe || !probeMatches(probe, ad.scopes)) return;
    const out = f.garbage ? randomBytes(64) : Buffer.from(probeMatchesXml(probe, ad, `urn:uuid:${randomUUID()}`));
    const s = socket;
    const go = () => s.send(out, peer.port, peer.address, () => undefined);
    if (f.latencyMs <= 0) return go();
    const t = setTimeout(() => (timers.delete(t), go()), f.latencyMs);
    timers.add(t);
  };

  async function start(): Promise<void> {
    const s = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind({ port: deps.port, address: deps.address, exclusive: false }, () => {
        s.off('error', reject);
        resolve();
      });
    });
    try {
      // Joining can fail on hosts without a multicast route (CI containers); unicast probes still work.
      const iface = deps.address && deps.address !== '0.0.0.0' ? deps.address : undefined;
      s.addMembership(WSD_GROUP, iface);
    } catch {
      /* unicast only */
    }
    s.on('message', reply);
    s.on('error', () => undefined); // a bad datagram must not kill the camera
    socket = s;
  }

  async function stop(): Promise<void> {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    const s = socket;
    socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  return {
    start,
    stop,
    get port(): number | undefined {
      return socket?.address().port;
    },
  };
}
