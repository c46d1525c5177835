-- Each room's last 24 h, one point a minute (issue 14; hub/fleet/fleet-history-pg.ts), shared so that the
-- console's charts are the same at every hub node. A point is the stored tuple of fleet-history-point.ts
-- ([t, n, degraded, alarm, ...figures]); t is the minute's start in ms (hub clock).
CREATE TABLE fleet_history_rooms (
  room text PRIMARY KEY,
  report_seconds integer NOT NULL
);
CREATE TABLE fleet_history_points (
  room text NOT NULL REFERENCES fleet_history_rooms (room) ON DELETE CASCADE,
  t bigint NOT NULL,
  point jsonb NOT NULL,
  PRIMARY KEY (room, t)
);
CREATE INDEX fleet_history_points_t ON fleet_history_points (t);
