import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthReply } from '../../../common/contracts/daemon-api/health.js';

/** GET /api/v1/health (monitors, the kiosk page): the health module's snapshot. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ health: { snapshot(): HealthReply } }> = async (app, { health }) => {
  app.get(
    '/health',
    {
      config: { role: 'monitor' },
      schema: {
        tags: ['health'],
        summary: 'Room health',
        response: {
          200: HealthReply, // common/contracts/daemon-api/health.ts: the kiosk reads it
        },
      },
    },
    async () => health.snapshot(),
  );
};
