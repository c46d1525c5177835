import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SelfTestRequest, SelfTestResult } from '../../../common/contracts/commissioning.js';
import { errors } from '../api/schemas.js';
import type { SelfTest } from './create-self-test.js';

// `POST /api/v1/self-test` (technician, audited): runs the self-test and answers when it is over — the
// hearing's length plus the upload (minutes on a slow link); the caller waits with a generous timeout.

export const selfTestRoutes: FastifyPluginAsyncTypebox<{ selfTest: SelfTest }> = async (app, { selfTest }) => {
  app.post(
    '/self-test',
    {
      config: { role: 'technician', audit: 'self-test.run' },
      schema: {
        tags: ['self-test'],
        summary: 'Record a short local hearing, verify it, upload it until the hub receipts it (when enrolled)',
        body: SelfTestRequest,
        response: { 200: SelfTestResult, ...errors(400, 409) },
      },
    },
    async (req) => selfTest.run({ seconds: req.body.seconds, uploadWaitSeconds: req.body.uploadWaitSeconds }),
  );
};
