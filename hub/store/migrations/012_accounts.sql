-- The hub's local accounts (issue 14; hub/accounts/account-store-pg.ts), shared by every hub node and
-- written by `reception hub user` against the same database. The name is the key: two technicians
-- adding one name at once → one account. `password` is the scrypt record {algo, N, r, p, salt, hash}.
CREATE TABLE accounts (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
  roles text[] NOT NULL CHECK (cardinality(roles) >= 1),
  password jsonb NOT NULL,
  totp_secret text,
  created_at timestamptz NOT NULL,
  password_changed_at timestamptz NOT NULL,
  ord bigserial NOT NULL
);
