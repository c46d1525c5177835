import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../common/http/error-reply.js';
import type { OriginPolicy } from '../auth/origin-policy.js';

// CORS for WHIP/WHEP, only for the configured browser origins (`allowedOrigins`, the publicUrl's, the hub's
// own: hub/auth/origin-policy.ts), never `*`. A preflight from another origin is refused (403): nothing in it
// tells a page it may call. A plain OPTIONS (no Origin) says what the resource takes (RFC 9725 §4.2, RFC 5789).

export type CorsPolicy = Pick<OriginPolicy, 'originAllowed'>;

const allowed = (req: FastifyRequest, policy: CorsPolicy | undefined) => {
  const origin = req.headers.origin;
  return !!origin && !!policy?.originAllowed(origin, req.headers.host);
};

/** Access-Control-Allow-Origin (and what a page may read) on every WHIP/WHEP answer to an allowed origin. */
export function corsHeaders(app: FastifyInstance, policy: CorsPolicy | undefined): void {
  app.addHook('onSend', async (req, reply) => {
    if (!allowed(req, policy)) return;
    reply.header('access-control-allow-origin', req.headers.origin!).header('vary', 'origin');
    reply.header('access-control-expose-headers', 'location, etag, accept-patch, link');
  });
}

/** The OPTIONS handler of a WHIP/WHEP URL: `allow` its methods, `accept` its body types (Accept-Post / Accept-Patch). */
export const optionsHandler =
  (policy: CorsPolicy | undefined, allow: string, accept: { post?: string; patch?: string }) =>
  async (req: FastifyRequest, reply: FastifyReply) => {
    const preflight = req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
    if (preflight && !allowed(req, policy))
      return sendError(reply, 403, 'ORIGIN_NOT_ALLOWED', `origin ${req.headers.origin} is not allowed (hub config allowedOrigins)`);
    reply.code(204).header('allow', allow);
    if (accept.post) reply.header('accept-post', accept.post);
    if (accept.patch) reply.header('accept-patch', accept.patch);
    if (preflight)
      reply
        .header('access-control-allow-methods', allow)
        .header('access-control-allow-headers', 'authorization, content-type, if-match')
        .header('access-control-max-age', '600');
    return reply.send();
  };

/** Why a configured `allowedOrigins` value is not a browser origin (scheme://host[:port]), or null. */
export function originProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL; an origin is scheme://host[:port], e.g. https://console.province.example`;
  }
  if (!/^https?:$/.test(url.protocol)) return `"${value}": only http and https origins`;
  if (url.username || url.password) return `"${value}": an origin carries no user or password`;
  if (url.pathname !== '/' || url.search || url.hash || value.endsWith('/'))
    return `"${value}" is not an origin as a browser sends it (${url.origin}): no path, query or fragment`;
  return null;
}
