-- People's sessions (issue 14; hub/accounts/sessions-pg.ts), so a load balancer may send a signed-in
-- browser to any hub node. `key` is the SHA-256 of the cookie's id (the id itself is never stored);
-- last_seen is written in batches by every node that saw the session used.
CREATE TABLE sessions (
  key text PRIMARY KEY,
  person jsonb NOT NULL,
  csrf text NOT NULL,
  started_at timestamptz NOT NULL,
  last_seen timestamptz NOT NULL
);
CREATE INDEX sessions_last_seen ON sessions (last_seen);
