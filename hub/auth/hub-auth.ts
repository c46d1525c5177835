import type { FastifyRequest } from 'fastify';
import type { AuthPluginOptions, Caller, Refusal } from '../../common/http/auth-plugin.js';
import { matchesSha256 } from '../../common/http/credentials.js';
import { checkOfficer, checkRoom, type AuthDeps } from '../config/auth.js';

// The hub's side of the one auth plugin (common/http/auth-plugin.ts). Two kinds of caller, each with its
// own credential: officers (a token, or no token from loopback when allowLoopbackOfficers) and rooms
// (their secret). A route declares which it takes — `config: { role: 'officer' }`, `'room'`, both, or
// `'public'` — and a credential of the other kind is no credential there (401, as before this plugin).
// A room route with `:room` in its path takes that room's secret only (unknown room: 404).

declare module '../../common/http/auth-plugin.js' {
  interface RouteRoles {
    officer: true;
    room: true;
  }
}

export const HUB_ROLES = ['officer', 'room'] as const;

const refused = (message: string, status: 401 | 404 = 401): Refusal => ({ refused: status, message });

function room(deps: AuthDeps, req: FastifyRequest, token: string | undefined): Caller | Refusal | undefined {
  const named = (req.params as { room?: unknown } | undefined)?.room;
  if (typeof named === 'string') {
    const c = checkRoom(deps, named, token);
    if (c.ok) return { name: c.room.id, role: 'room', ip: req.ip, viaToken: true };
    return c.code === 'UNKNOWN_ROOM' ? refused(c.message, 404) : refused(c.message);
  }
  const match = token ? deps.rooms.find((r) => matchesSha256(r.secretSha256, token)) : undefined;
  return match && { name: match.id, role: 'room', ip: req.ip, viaToken: true };
}

export function hubAuth(deps: AuthDeps): AuthPluginOptions {
  return {
    roles: HUB_ROLES,
    requireRole: true,
    prefixRoles: [['/docs', 'officer']], // the API docs (swagger-ui, registered after this plugin) are not open
    identify(req, token, needs) {
      const anonymous: Caller = { name: 'anonymous', role: 'none', ip: req.ip, viaToken: false };
      if (!needs) return anonymous; // routes of external plugins (console files): public
      const asRoom = needs.includes('room') ? room(deps, req, token) : undefined;
      if (asRoom) return asRoom;
      if (needs.includes('officer')) {
        const o = checkOfficer(deps, req.socket.remoteAddress, token);
        if (o.ok) return { name: o.name, role: 'officer', ip: req.ip, viaToken: token !== undefined };
        if (!needs.includes('room')) return refused(o.message);
        return refused('a room secret or officer token is required');
      }
      return refused('a room secret (Bearer) is required');
    },
    allows: (caller, needs) => needs.includes(caller.role),
  };
}
