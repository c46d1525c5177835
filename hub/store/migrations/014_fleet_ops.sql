-- Remote operations on rooms (issue 14; hub/fleet-ops/ops-store-pg.ts): asked at any hub node, handed to
-- the room with its report at whichever node it reaches. `record` is the operation as the file keeps it
-- (a pushed config's payload included: it may hold camera passwords); `state` mirrors record.state so
-- that "open" (pending, handed-over) is indexed and a room's result is applied once, by one UPDATE.
CREATE TABLE fleet_ops (
  id text PRIMARY KEY,
  room text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'handed-over', 'applied', 'rolled-back', 'failed')),
  record jsonb NOT NULL,
  ord bigserial NOT NULL
);
CREATE INDEX fleet_ops_room ON fleet_ops (room, ord);
CREATE INDEX fleet_ops_open ON fleet_ops (room, ord) WHERE state IN ('pending', 'handed-over');

-- Diagnostics bundles (tar.gz, at most OP_BUNDLE_MAX_BYTES each), gone with their operation.
CREATE TABLE fleet_op_bundles (
  id text PRIMARY KEY REFERENCES fleet_ops (id) ON DELETE CASCADE,
  bytes bytea NOT NULL
);
