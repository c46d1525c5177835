import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses, sendError } from '../../common/http/error-reply.js';
import type { AuditLog } from '../audit/audit-contract.js';
import type { Session } from '../auth/identity.js';
import { localSignin, type LocalSigninDeps } from './local-signin.js';
import { PasswordCheckBusyError } from './password.js';
import { SessionView, SigninBody, SigninMethods } from './session-schemas.js';
import type { SessionStore } from './sessions.js';
import type { SigninCounts } from './signin-metrics.js';

// /api/v1/session: sign in with a local account (POST), who am I (GET), sign out (DELETE). Public routes:
// they read the session cookie themselves. Sign-ins and sign-outs go to the audit log, never a password.

export interface SessionRouteOptions extends LocalSigninDeps {
  sessions: SessionStore;
  counts?: SigninCounts;
  audit?: AuditLog;
  oidcEnabled: boolean;
}

const WRONG = 'Sai tên đăng nhập hoặc mật khẩu / Wrong name or password';
const TOTP_MISSING = 'Cần mã xác thực 6 số (TOTP) / A 6-digit TOTP code is required';

export const viewOf = (s: Session) => ({
  name: s.user.name,
  roles: s.user.roles,
  via: s.user.via,
  csrf: s.csrf,
  expiresAt: new Date(s.expiresAt).toISOString(),
});

/** The request's `x-csrf-token` equals the session's (constant time). */
export function csrfMatches(req: FastifyRequest, s: Session): boolean {
  const sent = req.headers['x-csrf-token'];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(s.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function sessionRoutes(fastify: FastifyInstance, opts: SessionRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const pub = { role: 'public' } as const;
  const audit = (req: FastifyRequest, e: Parameters<AuditLog['append']>[0]) =>
    opts.audit?.append({ ...e, ip: req.ip }).catch((err) => req.log.error({ err }, 'AUDIT NOT WRITTEN: sign-in event lost'));

  app.get('/session/methods', { config: pub, schema: { response: { 200: SigninMethods } } }, async () => ({
    local: true,
    oidc: opts.oidcEnabled,
  }));

  app.post(
    '/session',
    { config: pub, schema: { body: SigninBody, response: { 200: SessionView, ...errorResponses(400, 401, 429, 503) } } },
    async (req, reply) => {
      const r = await localSignin(opts, { ...req.body, ip: req.ip }).catch((err: unknown) => {
        if (err instanceof PasswordCheckBusyError) return undefined;
        throw err;
      });
      if (!r) {
        reply.header('retry-after', '5');
        return sendError(reply, 503, 'BUSY', 'Máy chủ đang bận, thử lại sau 5 giây / The hub is busy, try again in 5 s');
      }
      const actor = req.body.name.trim().toLowerCase().slice(0, 64);
      if (r.ok) opts.counts?.record('local', 'ok');
      else if (r.why !== 'totp-required') opts.counts?.record('local', r.why === 'throttled' ? 'throttled' : 'refused');
      if (r.ok) {
        const s = await opts.sessions.open(r.user, req, reply);
        await audit(req, {
          actor: r.user.name,
          action: 'signin',
          outcome: 'ok',
          reason: `local${opts.accounts.find(actor)?.totpSecret ? '+totp' : ''}`,
        });
        return viewOf(s);
      }
      if (r.why === 'totp-required') return sendError(reply, 401, 'TOTP_REQUIRED', TOTP_MISSING);
      await audit(req, { actor, action: 'signin', outcome: 'refused', reason: r.reason });
      if (r.why === 'throttled') {
        const s = Math.ceil(r.retryAfterMs / 1000);
        reply.header('retry-after', String(s));
        return sendError(
          reply,
          429,
          'TOO_MANY_ATTEMPTS',
          `Đăng nhập sai quá nhiều lần, thử lại sau ${s} giây / Too many failed sign-ins, try again in ${s} s`,
        );
      }
      return sendError(reply, 401, 'UNAUTHORIZED', WRONG);
    },
  );

  app.get('/session', { config: pub, schema: { response: { 200: SessionView, ...errorResponses(401) } } }, async (req, reply) => {
    const s = opts.sessions.fromRequest(req);
    return s ? viewOf(s) : sendError(reply, 401, 'UNAUTHORIZED', 'Chưa đăng nhập / Not signed in');
  });

  app.delete('/session', { config: pub, schema: { response: { 204: { type: 'null' }, ...errorResponses(403) } } }, async (req, reply) => {
    const s = opts.sessions.fromRequest(req);
    if (s && !csrfMatches(req, s)) return sendError(reply, 403, 'CSRF', 'x-csrf-token is missing or wrong (sign-out)');
    opts.sessions.close(req, reply);
    if (s) await audit(req, { actor: s.user.name, action: 'signout', outcome: 'ok', reason: s.user.via });
    return reply.code(204).send();
  });
}
