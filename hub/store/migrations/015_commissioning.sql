-- Commissioning reports and the rooms' declared self-test hearings (issue 14;
-- hub/commissioning/commissioning-store-pg.ts): a room sends them to any hub node; the archive's
-- ownership check ("a self-test this room declared") must hold on every node.
CREATE TABLE commissioning_reports (
  room text PRIMARY KEY,
  state text NOT NULL,
  at text NOT NULL,
  received_at timestamptz NOT NULL,
  checks_passed integer NOT NULL,
  checks_failed integer NOT NULL,
  html text NOT NULL
);

CREATE TABLE commissioning_self_tests (
  room text NOT NULL,
  hearing text NOT NULL,
  at timestamptz NOT NULL,
  ord bigserial NOT NULL,
  PRIMARY KEY (room, hearing)
);
