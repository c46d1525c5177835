-- Several hub nodes (issue 14 item 4, hub/cluster): each node's heartbeat with its load, and which node
-- holds each hearing's media. Liveness is judged by the database's clock (last_seen against now()), so the
-- nodes' clocks never have to agree. A placement moves only by a conditional UPDATE on its current node
-- (compare-and-set under the row lock), so two nodes taking over a dead node's hearing agree on one winner.
CREATE TABLE cluster_nodes (
  id text PRIMARY KEY,
  url text NOT NULL,
  legs integer NOT NULL DEFAULT 0 CHECK (legs >= 0),
  cpu real NOT NULL DEFAULT 0 CHECK (cpu >= 0),
  last_seen timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cluster_placements (
  hearing text PRIMARY KEY,
  node text NOT NULL,
  epoch integer NOT NULL DEFAULT 1,
  placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cluster_placements_node ON cluster_placements (node);
