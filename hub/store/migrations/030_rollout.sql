-- The update rollout (issue 14; hub/updates/rollout-targets-pg.ts): the release each room should run,
-- shared so that a target set at one hub node is offered to the room at whichever node it reports to.
-- set_at is the attempt's id as the room echoes it back (ISO text, compared as text): kept as text.
CREATE TABLE rollout_targets (
  room text PRIMARY KEY,
  version text NOT NULL,
  set_at text NOT NULL,
  set_by text NOT NULL
);
