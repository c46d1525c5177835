import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from '../../../common/http/error-reply.js';

// The daemon answers only requests meant for it, before any role is looked at:
// - Host (against DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 would read
//   the API as the loopback monitor): an IP address, localhost (or *.localhost) or this machine's name,
//   else 421.
// - Origin on state-changing requests and WebSocket upgrades (a page elsewhere posting to the box, e.g. a
//   cross-site text/plain POST to the PIN unlock): the daemon's own origin (the Origin's host:port is the
//   request's Host, checked above), else 403. Requests without Origin (tools, not browsers) pass on to auth.

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOnly(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return isIP(h) === 6 ? h : h.replace(/:\d+$/, '').replace(/\.$/, '');
}

export function hostAllowed(hostHeader: string | undefined, names: ReadonlySet<string>): boolean {
  if (!hostHeader) return false;
  const h = hostOnly(hostHeader);
  return isIP(h) !== 0 || names.has(h) || h.endsWith('.localhost');
}

export function sameOrigin(origin: string, hostHeader: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return !!hostHeader && (url.protocol === 'http:' || url.protocol === 'https:') && url.host === hostHeader.trim().toLowerCase();
  } catch {
    return false; // 'null' (sandboxed pages, file:), garbage
  }
}

export const originGuard = fp(async (app: FastifyInstance) => {
  const names = new Set(['localhost', hostname().toLowerCase()]);
  app.addHook('onRequest', async (req, reply) => {
    const host = req.headers.host;
    if (!hostAllowed(host, names))
      return sendError(
        reply,
        421,
        'MISDIRECTED',
        `tên máy ${host ?? '(không có)'} không phải của thiết bị này / host ${host ?? '(none)'} is not this box`,
      );
    const origin = req.headers.origin;
    const upgrade = req.headers.upgrade?.toLowerCase() === 'websocket';
    if (origin !== undefined && (upgrade || !SAFE.has(req.method)) && !sameOrigin(origin, host))
      return sendError(reply, 403, 'FORBIDDEN', `nguồn ${origin} không được phép / origin ${origin} may not call this box`);
  });
});
