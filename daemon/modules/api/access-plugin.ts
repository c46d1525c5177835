import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { authPlugin, type Caller } from '../../../common/http/auth-plugin.js';
import { ROLES } from '../../config/schema.js';
import { identify, roleAllows, type AccessDeps } from '../access/access.js';
import type { AuditLog } from '../audit/audit-log.js';
import './fastify-context.js';

export interface AccessPluginOptions {
  access: AccessDeps;
  audit: AuditLog;
  /** Kiosk PIN sessions: a live session token is the officer at the room's touch screen. */
  kioskSessions?: { isLive(token: string): boolean };
}

/**
 * The daemon's side of the one auth plugin (common/http/auth-plugin.ts): a token, a live kiosk session or
 * loopback (`access.loopbackRole`) says who is calling; a route's `config.role` is the least role allowed
 * (monitor < officer < technician). Audits every control action (routes with `config.audit`) and every refusal.
 */
export const accessPlugin = fp(async (app: FastifyInstance, opts: AccessPluginOptions) => {
  await app.register(authPlugin, {
    roles: ROLES,
    prefixRoles: [['/docs', 'monitor']], // the API docs: any known caller, not the open network
    identify(req, token): Caller | { refused: 401; message: string } {
      if (token && opts.kioskSessions?.isLive(token)) return { name: 'kiosk-officer', role: 'officer', ip: req.ip, viaToken: true };
      const who = identify(opts.access, req.socket.remoteAddress ?? '', token);
      return 'error' in who ? { refused: 401, message: who.error } : who;
    },
    allows: (caller, needs) => needs.some((role) => roleAllows(caller.role, role)),
  });

  app.addHook('onError', async (req, _reply, err) => {
    req.auditError = err.message;
  });

  // A response's audit line is written after the reply went out: closing waits for it.
  app.addHook('onClose', async () => {
    await opts.audit.flush();
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
