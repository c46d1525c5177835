import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/http/error-reply.js';
import { auditAction } from '../auth/audit-hooks.js';
import type { HubAuditLog } from './audit-log.js';

// GET /api/v1/audit (supervisor): the latest audit entries, oldest first. Reading the log is itself audited.

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  prev: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  target: Type.Optional(Type.String()),
  outcome: Type.String(),
  reason: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: HubAuditLog }> = async (app, { audit }) => {
  app.get(
    '/audit',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries (supervisor): the last `limit` after `afterSeq`, by actor or action',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            afterSeq: Type.Integer({ minimum: 0, default: 0 }),
            actor: Type.Optional(Type.String({ maxLength: 200 })),
            action: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ entries: Type.Array(Entry), chainBrokenAtStart: Type.Boolean() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      await auditAction(audit, req, 'audit.read');
      return { entries: await audit.entries(req.query), chainBrokenAtStart: audit.broken !== undefined };
    },
  );
};
