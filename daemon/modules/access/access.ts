import { timingSafeEqual } from 'node:crypto';
import { isLoopback, sha256Hex } from '../../../common/http/credentials.js';
import type { Role } from '../../config/schema.js';

// Roles and tokens. Tokens are stored as SHA-256 only; a caller presents the token itself.

export type Caller = { name: string; role: Role | 'none'; ip: string; viaToken: boolean };

/** What each role may do: every role includes the ones below it. */
const RANK: Record<string, number> = { none: 0, monitor: 1, officer: 2, technician: 3 };

export function roleAllows(has: string, needs: string): boolean {
  return (RANK[has] ?? 0) >= (RANK[needs] ?? Number.POSITIVE_INFINITY);
}

/** The SHA-256 a token is stored as (`reception token add`). */
export const hashToken = sha256Hex;

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
