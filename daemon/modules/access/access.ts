import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../config/schema.js';

// Roles and tokens. Tokens are stored as SHA-256 only; a caller presents the token itself.

export type Caller = { name: string; role: Role | 'none'; ip: string; viaToken: boolean };

/** What each role may do: every role includes the ones below it. */
const RANK: Record<Role | 'none', number> = { none: 0, monitor: 1, officer: 2, technician: 3 };

export function roleAllows(has: Role | 'none', needs: Role): boolean {
  return RANK[has] >= RANK[needs];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export interface AccessDeps {
  loopbackRole: Role | 'none';
  tokens: { name: string; role: Role; sha256: string }[];
}

/** Who is calling: a valid token wins; otherwise loopback gets `loopbackRole`, anyone else nothing. */
export function identify(deps: AccessDeps, ip: string, token: string | undefined): Caller | { error: string } {
  if (token) {
    const digest = Buffer.from(hashToken(token), 'hex');
    const match = deps.tokens.find((t) => timingSafeEqual(Buffer.from(t.sha256, 'hex'), digest));
    if (!match) return { error: 'unknown token' };
    return { name: match.name, role: match.role, ip, viaToken: true };
  }
  if (isLoopback(ip)) return { name: 'loopback', role: deps.loopbackRole, ip, viaToken: false };
  return { name: 'anonymous', role: 'none', ip, viaToken: false };
}

/** Reads `Authorization: Bearer <token>`, or `?token=` for WebSocket clients that cannot set headers. */
export function tokenFrom(headers: Record<string, string | string[] | undefined>, query: unknown): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const q = query as { token?: unknown } | undefined;
  return typeof q?.token === 'string' ? q.token : undefined;
}
