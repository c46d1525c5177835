import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../common/log.js';
import type { Cluster } from './create-cluster.js';
import { forwardHttp, forwardUpgrade } from './forward.js';
import { fromPeer } from './from-peer.js';
import { hearingOfRequest, type RouteLookups } from './route-key.js';

// The routing hook (fastify onRequest, before the guards and the auth plugin: the holder runs them): a request
// about a hearing held by another live node is forwarded to that node — HTTP (WHIP/WHEP, stats) and the
// signaling WebSocket alike — so rooms and browsers keep one public URL and never learn the nodes' addresses.
// Media (UDP) then flows straight to the holder's ICE candidates. A forwarded request is never forwarded again.

export interface RoutingDeps {
  cluster: Pick<Cluster, 'nodeId' | 'holderOf' | 'holderNow' | 'suspect' | 'nodes'>;
  lookups: RouteLookups;
  /** The hub's CA: other nodes' https certificates (hub/tls internal CA or the province's). */
  ca?: string;
  logger: Logger;
}

interface Tunnel {
  hearing: string;
  node: string;
  cut(): void;
}

export function createClusterRouting(deps: RoutingDeps) {
  const tunnels = new Set<Tunnel>();
  const wsHead = (raw: object): Buffer => {
    // @fastify/websocket keeps the upgrade's first bytes under a private symbol (usually empty: clients wait for the 101)
    const sym = Object.getOwnPropertySymbols(raw).find((s) => s.description === 'ws-head');
    const head = sym ? (raw as Record<symbol, unknown>)[sym] : undefined;
    return Buffer.isBuffer(head) ? head : Buffer.alloc(0);
  };

  async function onRequest(req: FastifyRequest, reply: FastifyReply) {
    if (fromPeer(req, deps.cluster)) return; // sent here by another node: handled here, whatever this node thinks
    const hearing = hearingOfRequest(req.raw, deps.lookups);
    if (!hearing) return;
    const holder = deps.cluster.holderOf(hearing) ?? (await deps.cluster.holderNow(hearing));
    if (!holder || holder.id === deps.cluster.nodeId) return;
    reply.hijack();
    const target = { url: holder.url, ca: deps.ca, refused: () => deps.cluster.suspect(holder.id) };
    if (req.headers.upgrade?.toLowerCase() === 'websocket') {
      const tunnel: Tunnel = { hearing, node: holder.id, cut: () => {} };
      tunnel.cut = forwardUpgrade(req.raw, req.raw.socket as Duplex, wsHead(req.raw), target, deps.cluster.nodeId);
      tunnels.add(tunnel);
      req.raw.socket.once('close', () => tunnels.delete(tunnel));
      deps.logger.debug({ hearing, node: holder.id }, 'signaling forwarded to the holder');
    } else forwardHttp(req.raw, reply.raw, target, deps.cluster.nodeId);
  }

  /** Tunnels to a node that no longer holds their hearing (it died, the hearing moved): cut, the client reconnects. */
  function sweep() {
    for (const t of tunnels) {
      const holder = deps.cluster.holderOf(t.hearing);
      if (holder && holder.id === t.node) continue;
      tunnels.delete(t);
      t.cut();
    }
  }

  return {
    onRequest,
    sweep,
    tunnels: () => tunnels.size,
    close() {
      for (const t of tunnels) t.cut();
      tunnels.clear();
    },
  };
}
