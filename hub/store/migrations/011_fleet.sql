-- The fleet (issue 14; hub/fleet/fleet-store-pg.ts): each room's last report, shared so that any hub
-- node answers the fleet page, and the reception book outbox.
CREATE TABLE fleet_reports (
  room text PRIMARY KEY,
  summary jsonb NOT NULL,
  received_at timestamptz NOT NULL
);

-- One row per (hearing, room): the officer's latest version. `entry` holds the citizen's identity in
-- clear while pending or refused (the hub has no book key; the sealed copy is the room's book.json):
-- it is nulled once the room wrote it, and REFUSED_KEEP_MS after a refusal (purged_at).
CREATE TABLE book_outbox (
  hearing text NOT NULL,
  room text NOT NULL,
  version integer NOT NULL,
  entry jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'written', 'failed')),
  updated_at timestamptz NOT NULL,
  delivered_at timestamptz,
  error text,
  sha256 text,
  purged_at timestamptz,
  ord bigserial NOT NULL,
  PRIMARY KEY (hearing, room)
);
CREATE INDEX book_outbox_pending ON book_outbox (room, ord) WHERE state = 'pending';
CREATE INDEX book_outbox_refused ON book_outbox (updated_at) WHERE state = 'failed' AND purged_at IS NULL;
