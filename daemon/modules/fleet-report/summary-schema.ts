import { Type } from '@sinclair/typebox';

// How /api/v1/health shows the fleet reporter (TypeBox, for the response schema and /docs). The kiosk
// reads `recordingAlarmReportedAt` to say truthfully whether the central point knows of a recording alarm.

export const FleetHealthSchema = Type.Object({
  state: Type.Union(['stopped', 'starting', 'reporting', 'failing'].map((s) => Type.Literal(s)), { description: 'failing: the hub is away or refuses; retried every period' }),
  since: Type.String(),
  lastReportAt: Type.Optional(Type.String({ description: 'when the hub last accepted a report' })),
  lastError: Type.Optional(Type.String()),
  recordingAlarmReportedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'when the hub accepted a report carrying the recorder\'s current alarm; null: no alarm, or the hub has not heard of it yet',
  }),
});
