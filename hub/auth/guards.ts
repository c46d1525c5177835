import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { httpErrors } from '@fastify/sensible';
import type { OriginPolicy } from './origin-policy.js';

// Checks every request meets before the auth plugin: the Host (421, DNS rebinding), no credential in
// the URL (`?token=`: 400 — URLs end up in logs, history, Referer), and the Origin of a browser's
// WebSocket upgrade or state-changing request (403: a cross-site form or fetch). Register before authPlugin.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CREDENTIAL_PARAMS = ['token', 'access_token'];

const fail = (status: 400 | 403 | 421, code: string, message: string) => httpErrors.createError(status, message, { code });

export const hubGuards = fp(
  async (app: FastifyInstance, opts: { policy: OriginPolicy }) => {
    app.addHook('onRequest', async (req) => {
      const host = req.headers.host;
      if (!opts.policy.hostAllowed(host))
        throw fail(
          421,
          'MISDIRECTED',
          `máy chủ không phục vụ tên "${host ?? ''}" / this hub does not answer to host "${host ?? ''}" (allowedHosts)`,
        );
      const query = req.query as Record<string, unknown> | undefined;
      const inUrl = CREDENTIAL_PARAMS.find((p) => query && Object.hasOwn(query, p));
      if (inUrl)
        throw fail(
          400,
          'CREDENTIAL_IN_URL',
          `không nhận thông tin xác thực trong URL / ?${inUrl}= is not accepted: send Authorization: Bearer, or sign in (cookie)`,
        );
      const origin = req.headers.origin;
      const websocket = req.method === 'GET' && String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
      if (origin !== undefined && (websocket || UNSAFE.has(req.method)) && !opts.policy.originAllowed(origin, host))
        throw fail(403, 'FORBIDDEN_ORIGIN', `nguồn "${origin}" không được phép / origin "${origin}" is not allowed (allowedOrigins)`);
    });
  },
  { name: 'reception-hub-guards' },
);
