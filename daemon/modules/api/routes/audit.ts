import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuditLog } from '../../audit/audit-log.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get(
    '/audit',
    {
      config: { role: 'technician' },
      schema: {
        tags: ['audit'],
        summary: 'Recent control actions, newest first',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: {
          200: Type.Array(
            Type.Object({
              at: Type.String(),
              actor: Type.String(),
              role: Type.String(),
              ip: Type.String(),
              action: Type.String(),
              target: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
              request: Type.Optional(Type.Unknown()),
              status: Type.Integer(),
              result: Type.String(),
              error: Type.Optional(Type.String()),
            }),
          ),
        },
      },
    },
    async (req) => audit.recent(req.query.limit),
  );
};
