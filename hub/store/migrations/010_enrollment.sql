-- The room registry and the one-time enrollment codes (issue 14; hub/enrollment/registry-pg.ts,
-- codes-pg.ts). Times are the hub's clock as the file backend keeps them (ISO, milliseconds).
CREATE TABLE registry_rooms (
  id text PRIMARY KEY,
  name text NOT NULL
);

-- Every key a room ever enrolled, oldest first (seq). The token is kept as its sha256 only.
CREATE TABLE registry_keys (
  seq bigserial PRIMARY KEY,
  room text NOT NULL REFERENCES registry_rooms (id),
  public_key_pem text NOT NULL,
  fingerprint text NOT NULL,
  enrolled_at timestamptz NOT NULL,
  enrolled_by text NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  revoked_at timestamptz,
  revoked_by text,
  reason text,
  token_sha256 text NOT NULL CHECK (token_sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX registry_keys_room ON registry_keys (room, seq);
-- "At most one active key per room", held by the database whichever node enrolls: an open key has
-- neither an end of window (replaced) nor a revocation.
CREATE UNIQUE INDEX registry_keys_one_open_per_room ON registry_keys (room) WHERE valid_to IS NULL AND revoked_at IS NULL;

-- Only the HMAC key derived from a code is kept, never the code. used_at is set once (a conditional
-- UPDATE: of two nodes claiming one code at once, one wins).
CREATE TABLE enrollment_codes (
  id text PRIMARY KEY,
  room text NOT NULL,
  name text NOT NULL,
  mac_key text NOT NULL CHECK (mac_key ~ '^[0-9a-f]{64}$'),
  issued_at timestamptz NOT NULL,
  issued_by text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by text
);
CREATE INDEX enrollment_codes_room ON enrollment_codes (room);
