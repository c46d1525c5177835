import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RecordingStatus } from '../../../../common/contracts/daemon-api/health.js';
import { CurrentHearing, Hearing } from '../../../../common/contracts/daemon-api/room.js';
import type { Hearings } from '../../hearings/create-hearings.js';
import type { RecorderStatus } from '../../recorder/create-recorder.js';
import { errors } from '../schemas.js';

// The room's current hearing (hub-reported or local) and its local recording (replies: common/contracts/daemon-api).

export interface HearingRouteDeps {
  hearings: Pick<Hearings, 'current' | 'startLocal' | 'endCurrent'>;
  recorder?: { status(): RecorderStatus };
}

export const hearingRoutes: FastifyPluginAsyncTypebox<HearingRouteDeps> = async (app, { hearings, recorder }) => {
  const tags = ['hearings'];

  app.get(
    '/hearings/current',
    {
      config: { role: 'monitor' },
      schema: { tags, summary: "The room's current hearing (null: none)", response: { 200: CurrentHearing } },
    },
    async () => ({
      hearing: hearings.current(),
    }),
  );

  app.post(
    '/hearings/local',
    {
      config: { role: 'officer', audit: 'hearing.start-local' },
      schema: {
        tags,
        summary: 'Start a hearing in the room (hub unreachable); recording starts at once',
        body: Type.Object(
          { title: Type.String({ minLength: 1, maxLength: 200, description: 'shown to officers' }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ hearing: Hearing }), ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.code(201).send({ hearing: await hearings.startLocal(req.body.title) }),
  );

  app.post(
    '/hearings/current/end',
    {
      config: { role: 'officer', audit: 'hearing.end' },
      schema: {
        tags,
        summary: 'End the current hearing (its recording is closed)',
        response: { 200: Type.Object({ hearing: Hearing }), ...errors(404) },
      },
    },
    async (req) => ({ hearing: await hearings.endCurrent(req.caller.name) }),
  );

  app.get(
    '/recording',
    {
      config: { role: 'monitor' },
      schema: { tags, summary: 'Local recording: state, segments, bytes, last segment, alarm', response: { 200: RecordingStatus } },
    },
    async () =>
      recorder?.status() ?? {
        state: 'disabled' as const,
        hearing: null,
        dir: null,
        segments: 0,
        bytes: 0,
        durationMs: 0,
        gaps: 0,
        lastSegment: null,
        alarm: null,
      },
  );
};
