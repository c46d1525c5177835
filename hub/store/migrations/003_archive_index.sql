-- The archive's per-hearing index (hub/archive/hearing-index-pg.ts): the whole document as jsonb (what
-- the file backend keeps as .index.json beside the recordings) plus the listing's columns, so the
-- archive lists thousands of hearings from one indexed query without reading any object.
CREATE TABLE archive_hearings (
  hearing text PRIMARY KEY,
  room text NOT NULL,
  created_at timestamptz NOT NULL,
  files integer NOT NULL,
  bytes bigint NOT NULL,
  doc jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1 -- +1 on every save: a node's cached listing line is stale when it moved
);
CREATE INDEX archive_hearings_newest ON archive_hearings (created_at DESC, hearing COLLATE "C");
CREATE INDEX archive_hearings_room ON archive_hearings (room, created_at DESC);
