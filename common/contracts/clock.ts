import { Type, type Static } from '@sinclair/typebox';

// The room's clock against the hub's (daemon/modules/clock): measured NTP-style on every fleet report,
// shown in GET /api/v1/health (`clock`), sent in the report and written in each hearing's manifest
// (docs/EVIDENCE.md). Evidence timestamps come from the room's clock, so its error is evidence too.
// Pure TypeBox, no app imports.

/** Past this the room's clock is wrong enough to matter for evidence: an alarm (room, hub, Prometheus). */
export const CLOCK_ALARM_MS = 1000;
export const CLOCK_SOURCES = ['hub', 'ntp'] as const;

export const ClockReading = Type.Object({
  offsetMs: Type.Integer({ description: 'reference clock minus room clock (ms): positive = the room is behind' }),
  rttMs: Type.Integer({ minimum: 0, description: 'round trip of the measurement (the offset is good to ± rttMs/2)' }),
  measuredAt: Type.String({ maxLength: 40, description: 'room clock when it was measured (ISO)' }),
  source: Type.Union(
    CLOCK_SOURCES.map((s) => Type.Literal(s)),
    { description: "hub: the hub's time in its fleet report answer; ntp: an NTP server" },
  ),
  alarm: Type.Boolean({ description: `|offsetMs| > ${CLOCK_ALARM_MS}: evidence times are off by more than a second` }),
});
export type ClockReading = Static<typeof ClockReading>;
