import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '../audit/audit-contract.js';
import type { SessionStore } from '../accounts/sessions.js';
import type { SigninCounts } from '../accounts/signin-metrics.js';
import type { OidcClient } from './oidc-client.js';
import type { OidcConfig } from './oidc-config.js';
import { nameFrom, rolesFrom } from './oidc-roles.js';

// GET /auth/oidc/start → the provider; GET /auth/oidc/callback ← the provider: a session cookie and
// /console/, or a page saying why not (no hub role: 403, audited). The flow cookie is SameSite=Lax: the
// provider's redirect back is a cross-site navigation, which a Strict cookie would not come with.

export const FLOW_COOKIE = 'reception_oidc';

export interface OidcRouteOptions {
  oidc: OidcClient;
  config: Pick<OidcConfig, 'rolesClaim' | 'roleMap' | 'nameClaim'>;
  sessions: SessionStore;
  counts?: SigninCounts;
  audit?: AuditLog;
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, vi: string, en: string, detail = '') {
  const body = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập / Sign in</title>
<link rel="stylesheet" href="/console/console.css"></head><body><main class="signin"><h1>${html(vi)}</h1><p>${html(en)}</p>
${detail ? `<p class="hint">${html(detail)}</p>` : ''}<p><a href="/console/signin.html">Quay lại trang đăng nhập / Back to sign-in</a></p></main></body></html>`;
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/** openid-client's errors say "invalid response encountered" and keep the why in `cause` ("unexpected state"…). */
function describe(err: unknown): string {
  const e = err as Error & { code?: string; cause?: unknown };
  const cause = e.cause as { message?: string; error?: string } | undefined;
  const detail = cause?.message ?? cause?.error;
  return [e.message, detail].filter(Boolean).join(': ');
}

const flowCookie = (req: FastifyRequest, value: string, maxAge: number) =>
  fastifyCookie.serialize(FLOW_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/auth/oidc',
    secure: req.protocol === 'https',
    maxAge,
  });

export async function oidcRoutes(app: FastifyInstance, opts: OidcRouteOptions) {
  const pub = { role: 'public' } as const;
  const audit = (req: FastifyRequest, e: Parameters<AuditLog['append']>[0]) =>
    opts.audit?.append({ ...e, ip: req.ip }).catch((err) => req.log.error({ err }, 'AUDIT NOT WRITTEN: sign-in event lost'));

  app.get('/auth/oidc/start', { config: pub, schema: { hide: true } }, async (req, reply) => {
    try {
      const { flowId, url } = await opts.oidc.start();
      reply.header('set-cookie', flowCookie(req, flowId, 600)).header('cache-control', 'no-store');
      return reply.redirect(url.href, 302);
    } catch (err) {
      req.log.error({ err: (err as Error).message }, 'OpenID provider unreachable or misconfigured');
      return page(
        reply,
        502,
        'Không kết nối được máy chủ đăng nhập tập trung (SSO)',
        'Cannot reach the single sign-on provider',
        (err as Error).message,
      );
    }
  });

  app.get('/auth/oidc/callback', { config: pub, schema: { hide: true } }, async (req, reply) => {
    const flowId = req.headers.cookie ? fastifyCookie.parse(req.headers.cookie)[FLOW_COOKIE] : undefined;
    reply.header('set-cookie', flowCookie(req, '', 0));
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const sent = new URLSearchParams(query);
    if (sent.has('error')) {
      const why = `${sent.get('error')}: ${sent.get('error_description') ?? ''}`.slice(0, 300);
      opts.counts?.record('oidc', 'refused');
      await audit(req, { actor: 'anonymous', action: 'signin', outcome: 'refused', reason: `oidc provider: ${why}` });
      return page(reply, 401, 'Máy chủ SSO từ chối đăng nhập', 'The sign-on provider refused the sign-in', why);
    }
    let claims: Record<string, unknown>;
    try {
      claims = await opts.oidc.finish(flowId, query);
    } catch (err) {
      const why = describe(err).slice(0, 300);
      opts.counts?.record('oidc', 'refused');
      await audit(req, { actor: 'anonymous', action: 'signin', outcome: 'refused', reason: `oidc: ${why}` });
      return page(reply, 400, 'Đăng nhập SSO không thành công', 'Single sign-on failed', why);
    }
    const name = nameFrom(claims, opts.config.nameClaim);
    const roles = rolesFrom(claims, opts.config);
    if (!roles.length) {
      opts.counts?.record('oidc', 'refused');
      await audit(req, {
        actor: name,
        action: 'signin',
        outcome: 'refused',
        reason: `oidc: no hub role in claim ${opts.config.rolesClaim}`,
      });
      return page(
        reply,
        403,
        `Tài khoản ${name} chưa được cấp quyền tại điểm tiếp công dân trung tâm`,
        `${name} has no role at the central reception point (ask for officer, supervisor, archivist, technician or monitor)`,
      );
    }
    await opts.sessions.open({ name, roles, via: 'oidc' }, req, reply); // shared sessions: stored before the cookie
    opts.counts?.record('oidc', 'ok');
    await audit(req, { actor: name, action: 'signin', outcome: 'ok', reason: `oidc ${roles.join(',')}` });
    return reply.header('cache-control', 'no-store').redirect('/console/', 303);
  });
}
