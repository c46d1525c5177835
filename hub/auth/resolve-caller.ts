import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isLoopback } from '../../common/http/credentials.js';
import { type AuthDeps, checkToken } from '../config/auth.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import { PEOPLE_ROLES, type PersonRole, type SessionLookup } from './identity.js';

// Who a request comes from, whatever the route: a room (its registry token: enrollment), a person (an API token with roles, a session cookie, or — only when the
// config opts in — the hub machine itself), or nobody. A Bearer token that is nobody's is refused, so a
// stale token never falls back to the loopback or the cookie. A cookie-authenticated unsafe request needs
// `x-csrf-token` equal to the session's token.

export interface HubAuthDeps extends AuthDeps {
  /** Signed-in people (hub/accounts). */
  sessions?: SessionLookup;
  /** Enrolled rooms (hub/enrollment). */
  registry?: Pick<RoomRegistry, 'roomByToken'> & Partial<Pick<RoomRegistry, 'room'>>;
}

export type Resolved =
  | { kind: 'room'; id: string; name: string }
  | { kind: 'person'; name: string; roles: PersonRole[]; via: 'token' | 'session' | 'loopback' | 'ticket' }
  | { kind: 'refused'; status: 401 | 403; message: string }
  | { kind: 'nobody' };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

export function roomKnown(deps: HubAuthDeps, id: string): { id: string; name: string } | undefined {
  const r = deps.registry?.room?.(id);
  return r && { id: r.id, name: r.name };
}

export function resolveCaller(deps: HubAuthDeps, req: FastifyRequest, token: string | undefined): Resolved {
  if (token) {
    const enrolled = deps.registry?.roomByToken(token);
    if (enrolled) return { kind: 'room', id: enrolled.room.id, name: enrolled.room.name };
    const t = checkToken(deps, token);
    if (t) return { kind: 'person', name: `token:${t.name}`, roles: t.roles, via: 'token' };
    return { kind: 'refused', status: 401, message: 'unknown token' };
  }
  const session = deps.sessions?.fromRequest(req);
  if (session) {
    if (!SAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrf))
        return { kind: 'refused', status: 403, message: 'thiếu mã CSRF / x-csrf-token missing or wrong (CSRF)' };
    }
    return { kind: 'person', name: session.user.name, roles: [...session.user.roles], via: 'session' };
  }
  if (deps.allowLoopbackOfficers && isLoopback(req.socket.remoteAddress))
    return { kind: 'person', name: 'loopback', roles: [...(deps.loopbackRoles ?? PEOPLE_ROLES)], via: 'loopback' };
  return { kind: 'nobody' };
}
