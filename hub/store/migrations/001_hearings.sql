-- Hearings and who took part (issue 14). `rooms` is the current list in its order (kept after the end,
-- as the file backend keeps it); `hearing_stints` is every stretch of a room's part. A stint is open
-- (left_at NULL) only while the room is in a running hearing, so the partial unique index is the rule
-- "a room is in at most one active hearing", held by the database across every hub node.
CREATE TABLE hearings (
  id text PRIMARY KEY,
  title text NOT NULL,
  rooms text[] NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('active', 'ended')),
  created_at timestamptz NOT NULL,
  ended_at timestamptz,
  version bigint NOT NULL DEFAULT 1, -- +1 on every change: a node's view never goes back to an older copy
  ord bigserial NOT NULL
);
CREATE INDEX hearings_ord ON hearings (ord);

CREATE TABLE hearing_stints (
  hearing_id text NOT NULL REFERENCES hearings (id) ON DELETE CASCADE,
  room text NOT NULL,
  joined_at timestamptz NOT NULL,
  left_at timestamptz,
  ord bigserial NOT NULL
);
CREATE INDEX hearing_stints_hearing ON hearing_stints (hearing_id, ord);
CREATE UNIQUE INDEX hearing_stints_one_active_per_room ON hearing_stints (room) WHERE left_at IS NULL;
