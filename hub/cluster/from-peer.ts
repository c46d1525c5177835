import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import type { Cluster } from './create-cluster.js';
import { FORWARDED_BY } from './forward.js';

// Whether a request was forwarded here by another node of the cluster. Anyone can send the header: it
// counts only when it names a known node other than this one and, when that node's advertiseUrl is an IP
// address, the connection comes from that address. Otherwise the header is ignored and the request is
// routed as any other (the forward sets the header anew), so an outside caller cannot pin a hearing's
// requests on a node that does not hold it.

const bare = (a: string) => a.replace(/^\[|\]$/g, '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

export function fromPeer(req: FastifyRequest, cluster: Pick<Cluster, 'nodeId' | 'nodes'>): boolean {
  const claimed = req.headers[FORWARDED_BY];
  if (typeof claimed !== 'string' || claimed === cluster.nodeId) return false;
  const node = cluster.nodes().find((n) => n.id === claimed);
  if (!node) return false;
  const host = bare(new URL(node.url).hostname);
  // a host name cannot be checked without a lookup on every request: the node id has to do
  return !isIP(host) || host === bare(req.raw.socket.remoteAddress ?? '');
}
