import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkOfficer, checkRoom, tokenFrom, type AuthDeps } from '../config/auth.js';

// Rooms upload with their signaling secret as Bearer token (the hub finds which room holds it);
// officers (token, or loopback when allowed) read.

export function roomOf(auth: AuthDeps, req: FastifyRequest): string | undefined {
  const token = tokenFrom(req.headers, req.query);
  if (!token) return undefined;
  return auth.rooms.find((r) => checkRoom(auth, r.id, token).ok)?.id;
}

export function isOfficer(auth: AuthDeps, req: FastifyRequest): boolean {
  return checkOfficer(auth, req.socket.remoteAddress, tokenFrom(req.headers, req.query)).ok;
}

export function deny(reply: FastifyReply, status: 401 | 403 | 404, message: string) {
  const code = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : 'NOT_FOUND';
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).send({ statusCode: status, error: code, code, message });
}
