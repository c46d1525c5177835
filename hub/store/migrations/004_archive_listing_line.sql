-- The archive's listing line per hearing (issue 14; hub/archive/hearing-index-listing.ts): its verification
-- summary, stamped with the index it was computed from ('v<version>|<files>|<bytes>') and the registry's
-- stamp for the room's keys, so a hub node starting cold lists without re-verifying every hearing.
-- A save of the index empties it (hearing-index-pg.ts); NULL: not computed yet.
ALTER TABLE archive_hearings ADD COLUMN line jsonb;
