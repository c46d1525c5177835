import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { identify, roleAllows, tokenFrom, type AccessDeps, type Caller } from '../access/access.js';
import type { AuditLog } from '../audit/audit-log.js';
import './fastify-context.js';

export interface AccessPluginOptions {
  access: AccessDeps;
  audit: AuditLog;
  /** Kiosk PIN sessions: a live session token is the officer at the room's touch screen. */
  kioskSessions?: { isLive(token: string): boolean };
}

/**
 * Identifies every caller, refuses routes above their role, and audits every control action
 * (routes with `config.audit`) and every refusal.
 */
export const accessPlugin = fp(async (app: FastifyInstance, opts: AccessPluginOptions) => {
  app.decorateRequest('caller', null as unknown as Caller);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const needs = req.routeOptions.config?.role;
    const token = tokenFrom(req.headers, req.query);
    const who: ReturnType<typeof identify> =
      token && opts.kioskSessions?.isLive(token) ? { name: 'kiosk-officer', role: 'officer', ip: req.ip, viaToken: true } : identify(opts.access, req.socket.remoteAddress ?? '', token);
    if ('error' in who) {
      req.caller = { name: 'anonymous', role: 'none', ip: req.ip, viaToken: false };
      return deny(reply, 401, 'UNAUTHORIZED', who.error);
    }
    req.caller = who;
    if (!needs) return;
    if (who.role === 'none') return deny(reply, 401, 'UNAUTHORIZED', 'a token is required from a non-loopback address');
    if (!roleAllows(who.role, needs)) return deny(reply, 403, 'FORBIDDEN', `role ${who.role} may not do this (needs ${needs})`);
  });

  app.addHook('onError', async (req, _reply, err) => {
    req.auditError = err.message;
  });

  app.addHook('onResponse', async (req, reply) => {
    const action = req.routeOptions.config?.audit;
    const refused = reply.statusCode === 401 || reply.statusCode === 403;
    if (!action && !(refused && req.routeOptions.config?.role)) return;
    const ok = reply.statusCode < 400;
    await opts.audit
      .record({
        at: new Date().toISOString(),
        actor: req.caller?.name ?? 'anonymous',
        role: req.caller?.role ?? 'none',
        ip: req.ip,
        action: action ?? `${req.method} ${req.routeOptions.url}`,
        target: req.params as Record<string, unknown>,
        request: req.body,
        status: reply.statusCode,
        result: ok ? 'ok' : refused ? 'refused' : 'failed',
        error: ok ? undefined : req.auditError,
      })
      .catch((err) => req.log.error({ err }, 'audit write failed'));
  });
});

function deny(reply: FastifyReply, statusCode: number, code: string, message: string) {
  reply.request.auditError = message;
  return reply.code(statusCode).send({ statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', code, message });
}
