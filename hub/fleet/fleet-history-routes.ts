import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../common/errors.js';
import { errorResponses } from '../../common/http/error-reply.js';
import type { HubRoom } from '../enrollment/live-rooms.js';
import { POINT_FIELDS } from './fleet-history-point.js';
import type { FleetHistoryStore } from './fleet-history.js';

// GET /api/v1/fleet/rooms/:room/history?hours=24 — a room's last hours, one point per minute, for the
// console's fleet page (who may read it: the same people as the fleet list).

const Figure = Type.Union([Type.Number(), Type.Null()], { description: 'the worst value of the minute; null: the room did not send it' });
const PointView = Type.Object({
  t: Type.Number({ description: 'start of the minute (hub clock, ms since 1970)' }),
  n: Type.Integer({ description: 'reports in this minute' }),
  degraded: Type.Boolean({ description: "a report of the minute said 'degraded'" }),
  alarm: Type.Boolean({ description: 'a report of the minute carried a recording alarm' }),
  ...Object.fromEntries(POINT_FIELDS.map((f) => [f, Figure])),
});
const Span = Type.Object({ from: Type.Number(), to: Type.Number() });
export const HistoryReply = Type.Object({
  room: Type.String(),
  from: Type.Number({ description: 'ms since 1970 (hub clock)' }),
  to: Type.Number(),
  bucketS: Type.Integer(),
  gapS: Type.Number({ description: 'a silence longer than this is a gap: the room was offline' }),
  points: Type.Array(PointView),
  offline: Type.Array(Span, { description: 'silences longer than gapS (no report): drawn as gaps' }),
});

const fleetReaders = { role: ['technician', 'monitor', 'officer', 'supervisor'] } as const;

export const fleetHistoryRoutes: FastifyPluginAsyncTypebox<{ history: FleetHistoryStore; rooms: HubRoom[] }> = async (
  app,
  { history, rooms },
) => {
  app.get(
    '/fleet/rooms/:room/history',
    {
      config: fleetReaders,
      schema: {
        tags: ['fleet'],
        summary: "A room's health over the last hours (≤ 24), one point per minute; silences as offline spans",
        params: Type.Object({ room: Type.String({ minLength: 1, maxLength: 64, description: 'room id' }) }),
        querystring: Type.Object(
          // A Number with multipleOf, not an Integer: the querystring's conversion would turn "1.5" into 1 silently.
          { hours: Type.Number({ minimum: 1, maximum: 24, multipleOf: 1, default: 24, description: 'how far back (whole hours)' }) },
          { additionalProperties: false },
        ),
        response: { 200: HistoryReply, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { room } = req.params;
      if (!rooms.some((r) => r.id === room))
        throw new NotFoundError(`phòng "${room}" không có ở trạm trung tâm / room "${room}" is unknown at this hub`);
      return history.series(room, req.query.hours);
    },
  );
};
