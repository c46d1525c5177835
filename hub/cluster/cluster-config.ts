import { Type, type Static } from '@sinclair/typebox';

// The `cluster` section of the hub's config. Off (the default): one hub process exactly as before — its
// hearings' media all here, nothing to place. On: this process is one node of several sharing one
// PostgreSQL (`store`), each with its own werift SFU; hearings are placed on nodes (README.md).

export const ClusterConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description: 'this hub is one node of several sharing `store` (PostgreSQL) behind one load balancer; off: one process',
      env: 'RECEPTION_HUB_CLUSTER',
    }),
    nodeId: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      default: 'hub-1',
      description: 'this node’s name in the cluster, unique among the nodes (lowercase letters, digits, -)',
      env: 'RECEPTION_HUB_NODE_ID',
    }),
    advertiseUrl: Type.String({
      pattern: '^https?://[^/]+$',
      default: 'http://127.0.0.1:8090',
      description:
        'where the other nodes reach this one directly (scheme://host:port, not the load balancer’s URL): requests for hearings held here are forwarded to it',
      env: 'RECEPTION_HUB_ADVERTISE_URL',
    }),
    heartbeatMs: Type.Integer({
      minimum: 200,
      maximum: 60_000,
      default: 1000,
      description: 'how often the node writes its heartbeat (load: legs, CPU)',
    }),
    deadAfterMs: Type.Integer({
      minimum: 600,
      maximum: 600_000,
      default: 4000,
      description: 'a node silent this long is dead: its hearings are placed on the live nodes (at least 3 heartbeats)',
    }),
  },
  { additionalProperties: false, default: {}, description: 'several hub nodes behind one load balancer (hub/cluster/README.md)' },
);
export type ClusterConfig = Static<typeof ClusterConfig>;

/** What the cluster section cannot be, beyond its schema (path + message, both languages). */
export function clusterConfigProblems(c: ClusterConfig, hub: { allowLoopbackOfficers: boolean }) {
  const problems: { path: string; message: string }[] = [];
  if (!c.enabled) return problems;
  if (c.deadAfterMs < 3 * c.heartbeatMs)
    problems.push({
      path: '/cluster/deadAfterMs',
      message: `phải ≥ 3 × heartbeatMs / must be at least 3 × heartbeatMs (${3 * c.heartbeatMs}): one late beat must not move hearings`,
    });
  if (hub.allowLoopbackOfficers)
    problems.push({
      path: '/allowLoopbackOfficers',
      message:
        'không dùng được khi chạy nhiều nút / not with a cluster: requests forwarded between nodes (and a load balancer on the same machine) come from loopback, so anyone would get its roles',
    });
  return problems;
}

/** Checked once `--store` is applied too (main.ts): the nodes share hearings and placements through it. */
export function clusterStoreProblem(c: ClusterConfig, store: string) {
  if (!c.enabled || store) return undefined;
  return {
    path: '/cluster/enabled',
    message:
      'cần `store` PostgreSQL dùng chung / needs a shared PostgreSQL `store` (postgres://…, or --store): the nodes share hearings and placements',
  };
}
