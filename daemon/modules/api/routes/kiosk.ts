import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { KioskBridgeTicket, KioskInfo, KioskUnlocked } from '../../../../common/contracts/daemon-api/room.js';
import { issueTicket, KIOSK_PROTOCOL, TICKET_PREFIX } from '../../../../common/local-bridge/bridge-ticket.js';
import { isLoopback, tokenFrom } from '../../../../common/http/credentials.js';
import { sendError } from '../../../../common/http/error-reply.js';
import type { KioskSessions } from '../../kiosk/kiosk-sessions.js';
import { errors } from '../schemas.js';

// The room's kiosk page (kiosk-ui/, built by vite) and its PIN unlock for the officer controls.

/** `<repo>/kiosk-ui/dist`: from the sources (tsx, tests) or from the compiled dist/daemon/… tree. */
/** A lockout's length in words (it doubles per lockout, up to a day): seconds, minutes or hours. */
function waitWords(s: number): [vi: string, en: string] {
  if (s < 120) return [`${s} giây`, `${s} s`];
  if (s < 7200) return [`${Math.ceil(s / 60)} phút`, `${Math.ceil(s / 60)} min`];
  return [`${Math.ceil(s / 3600)} giờ`, `${Math.ceil(s / 3600)} h`];
}

export function kioskDistDir(): string {
  const fromSource = fileURLToPath(new URL('../../../../kiosk-ui/dist/', import.meta.url));
  return existsSync(fromSource) ? fromSource : fileURLToPath(new URL('../../../../../kiosk-ui/dist/', import.meta.url));
}

/** `GET /kiosk/` (index.html, read per request so a rebuild needs no restart) and `/kiosk/assets/*`. No auth. */
export const kioskPage: FastifyPluginAsync<{ dir?: string }> = async (app, opts) => {
  const dir = opts.dir ?? kioskDistDir();
  await app.register(fastifyStatic, { root: join(dir, 'assets'), prefix: '/kiosk/assets/', index: false, immutable: true, maxAge: '365d' });
  app.get('/kiosk', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/kiosk/', 302));
  app.get('/kiosk/', { schema: { hide: true } }, async (_req, reply) => {
    const html = await readFile(join(dir, 'index.html'), 'utf8').catch(() => null);
    if (html === null) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'Trang kiosk chưa được dựng / The kiosk page is not built: run `npm run build` (npx vite build --config kiosk-ui/vite.config.ts)\n',
        );
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });
};

export interface KioskRouteDeps {
  sessions: KioskSessions;
  room: { id: string; name: string };
  gateway: { host: string; port: number };
  settings: { autoLockSeconds: number; sessionMinutes: number };
  /** The room's local secret (common/local-bridge): tickets for the gateway's kiosk bridge. */
  bridgeSecret: Buffer;
}

const fail = (reply: FastifyReply, statusCode: number, code: string, message: string) => {
  reply.request.auditError = message;
  return sendError(reply, statusCode, code, message);
};

/** `/api/v1/kiosk`: what the page needs at start, PIN unlock and lock. */
export const kioskRoutes: FastifyPluginAsyncTypebox<KioskRouteDeps> = async (app, deps) => {
  const tags = ['kiosk'];

  app.get(
    '/kiosk',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: "Kiosk page settings: room, the gateway's kiosk bridge URL, PIN and lock timings",
        response: { 200: KioskInfo },
      },
    },
    async () => ({
      room: deps.room,
      gateway: {
        kioskSignalUrl: `ws://${deps.gateway.host.includes(':') ? `[${deps.gateway.host}]` : deps.gateway.host}:${deps.gateway.port}/kiosk/signal`,
      },
      pinConfigured: deps.sessions.pinConfigured(),
      autoLockSeconds: deps.settings.autoLockSeconds,
      sessionMinutes: deps.settings.sessionMinutes,
    }),
  );

  app.get(
    '/kiosk/bridge-ticket',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary:
          "A single-use ticket (valid 60 s) for the gateway's kiosk bridge: offer both `protocols` as WebSocket subprotocols (never in the URL)",
        response: { 200: KioskBridgeTicket },
      },
    },
    async (_req, reply) => {
      const t = issueTicket(deps.bridgeSecret);
      reply.header('cache-control', 'no-store');
      return { protocols: [KIOSK_PROTOCOL, `${TICKET_PREFIX}${t.ticket}`], expiresAt: t.expiresAt };
    },
  );

  app.post(
    '/kiosk/unlock',
    {
      config: { audit: 'kiosk.unlock' },
      schema: {
        tags,
        summary: 'Unlock the officer controls with the kiosk PIN (from the room box only); a session token for `sessionMinutes`',
        security: [],
        body: Type.Object(
          { pin: Type.String({ minLength: 1, maxLength: 16, description: 'the kiosk PIN (4–8 digits)' }) },
          { additionalProperties: false },
        ),
        response: { 200: KioskUnlocked, ...errors(400, 401, 403, 429, 503) },
      },
      // The audit log stores the request body: never the PIN, on errors too.
      onSend: async (req, _reply, payload) => {
        if (req.body && typeof req.body === 'object') (req as { body: unknown }).body = { pin: '[withheld]' };
        return payload;
      },
    },
    async (req, reply) => {
      if (!isLoopback(req.socket.remoteAddress))
        return fail(reply, 403, 'FORBIDDEN', 'mở khóa chỉ từ màn hình của phòng / kiosk unlock only from the room box itself');
      const r = await deps.sessions.unlock(req.body.pin);
      if (r.ok) return { token: r.token, role: 'officer' as const, expiresAt: r.expiresAt };
      if (r.reason === 'no-pin') return fail(reply, 503, 'NOT_CONFIGURED', 'chưa đặt mã PIN / no kiosk PIN set: reception kiosk-pin');
      if (r.reason === 'locked') {
        reply.header('retry-after', String(r.retryAfterS));
        const [vi, en] = waitWords(r.retryAfterS);
        return fail(reply, 429, 'LOCKED_OUT', `nhập sai quá nhiều lần, thử lại sau ${vi} / too many wrong PINs, try again in ${en}`);
      }
      return fail(reply, 401, 'WRONG_PIN', `sai mã PIN, còn ${r.attemptsLeft} lần thử / wrong PIN, ${r.attemptsLeft} attempts left`);
    },
  );

  app.post(
    '/kiosk/lock',
    {
      config: { audit: 'kiosk.lock' },
      schema: {
        tags,
        summary: 'Lock the officer controls: the presented kiosk session token stops working',
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const token = tokenFrom(req.headers, req.query);
      if (token) deps.sessions.revoke(token);
      return reply.code(204).send(null);
    },
  );
};
