import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Cluster } from './create-cluster.js';

// GET /api/v1/cluster (technician, monitor, supervisor): the nodes as the shared store last showed them
// (alive, load) and which node holds each active hearing — what an operator checks after a node died.

const NodeView = Type.Object({
  id: Type.String(),
  url: Type.String({ description: 'advertiseUrl: where the other nodes forward to it' }),
  alive: Type.Boolean(),
  ageMs: Type.Integer({ description: 'since its last heartbeat, by the database clock' }),
  legs: Type.Integer(),
  cpu: Type.Number({ description: 'share of one core used by its process' }),
  hearings: Type.Integer({ description: 'hearings placed on it' }),
  rooms: Type.Array(Type.Object({ id: Type.String(), publishing: Type.Boolean() }), { description: 'rooms connected to it' }),
});
const ClusterView = Type.Object({
  node: Type.String({ description: 'the node that answered' }),
  nodes: Type.Array(NodeView),
  placements: Type.Array(Type.Object({ hearing: Type.String(), node: Type.String(), epoch: Type.Integer() })),
});

export const clusterRoutes: FastifyPluginAsyncTypebox<{ cluster: Pick<Cluster, 'nodeId' | 'view'> }> = async (app, { cluster }) => {
  app.get(
    '/cluster',
    {
      config: { role: ['technician', 'monitor', 'supervisor'] },
      schema: { summary: 'Hub nodes and where each hearing is held (technician, monitor, supervisor)', response: { 200: ClusterView } },
    },
    async () => {
      const { nodes, placements } = cluster.view();
      const count = (id: string) => placements.filter((p) => p.node === id).length;
      return { node: cluster.nodeId, nodes: nodes.map((n) => ({ ...n, hearings: count(n.id) })), placements };
    },
  );
};
