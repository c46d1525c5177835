import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/http/error-reply.js';
import { NotFoundError } from '../../common/errors.js';
import type { AuditLog } from '../audit/audit-contract.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import { auditAction } from './audit-hooks.js';
import { TICKET_KINDS, type Tickets } from './tickets.js';

// POST /api/v1/hearings/:id/tickets (officer): a short-lived Bearer ticket for WHIP (publish) or WHEP
// (view) of that one active hearing — for a browser page or a tool that should not hold an API token.

const TicketBody = Type.Object(
  {
    kind: Type.Union(
      TICKET_KINDS.map((k) => Type.Literal(k)),
      { description: 'publish: WHIP into the hearing; view: WHEP out of it' },
    ),
    ttlSeconds: Type.Integer({ minimum: 10, maximum: 3600, default: 120, description: 'how long the ticket opens sessions' }),
  },
  { additionalProperties: false },
);
const TicketView = Type.Object({
  ticket: Type.String({ description: 'send as Authorization: Bearer to /whip or /whep of this hearing' }),
  expiresAt: Type.String(),
  hearing: Type.String(),
  kind: Type.String(),
});

export const ticketRoutes: FastifyPluginAsyncTypebox<{ tickets: Tickets; store: HearingStore; audit?: AuditLog }> = async (app, opts) => {
  app.post(
    '/hearings/:id/tickets',
    {
      config: { role: 'officer' },
      schema: {
        tags: ['whip'],
        summary: 'A short-lived WHIP/WHEP ticket bound to this hearing and kind (officer)',
        params: Type.Object({ id: Type.String() }),
        body: TicketBody,
        response: { 201: TicketView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const h = opts.store.find(req.params.id);
      if (!h || h.state !== 'active') throw new NotFoundError(`hearing "${req.params.id}" does not exist or has ended`);
      const { kind, ttlSeconds } = req.body;
      const t = opts.tickets.issue(h.id, kind, ttlSeconds, req.caller.name);
      await auditAction(opts.audit, req, 'ticket.issue', h.id, `${kind}, ${ttlSeconds} s`);
      return reply.code(201).send({ ...t, hearing: h.id, kind });
    },
  );
};
