-- The hub's audit log (hub/audit/audit-log-pg.ts). `line` is the exact JSON text the chain hashes
-- (hub/audit/audit-chain.ts); actor/action/seq are copies for filtering. A segment is one chain: a chain
-- found broken at start is kept and a new segment begins, as the file backend keeps the broken file.
CREATE TABLE audit_log (
  segment integer NOT NULL,
  seq integer NOT NULL,
  line text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  PRIMARY KEY (segment, seq)
);
CREATE INDEX audit_log_actor ON audit_log (actor, segment, seq);
CREATE INDEX audit_log_action ON audit_log (action, segment, seq);

-- Append-only for the hub's own connections: an UPDATE or DELETE is refused (the chain would show it
-- anyway; this makes a slip in code fail loudly). A database owner can still drop the trigger.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
