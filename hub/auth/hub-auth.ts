import type { FastifyRequest } from 'fastify';
import type { AuthPluginOptions, Caller, Refusal } from '../../common/http/auth-plugin.js';
import { PEOPLE_ROLES } from './identity.js';
import { type HubAuthDeps, resolveCaller, roomKnown } from './resolve-caller.js';
import { TICKET_PREFIX, type TicketKind, type Tickets } from './tickets.js';

// The hub's side of the one auth plugin (common/http/auth-plugin.ts). A route declares which of the
// people's roles (hub/auth/identity.ts: officer, supervisor, archivist, technician, monitor, metrics)
// and/or 'room' may call it; the caller is resolved by resolve-caller.ts (API token, session cookie with
// CSRF, room credential, loopback only when opted in). Missing credential 401, wrong one 401, a known
// caller without the role 403 naming the role needed. Credentials only in headers or the cookie: `?token=`
// counts nowhere (guards.ts refuses it). WHIP/WHEP routes (`config.ticket`) also take a hearing-bound ticket.

declare module '../../common/http/auth-plugin.js' {
  interface RouteRoles {
    officer: true;
    supervisor: true;
    archivist: true;
    technician: true;
    monitor: true;
    metrics: true;
    room: true;
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** WHIP/WHEP: a ticket of this kind for the URL's hearing (`:id`) is a credential too ('by-proto': whip → publish). */
    ticket?: TicketKind | 'by-proto';
  }
}

export const HUB_ROLES = [...PEOPLE_ROLES, 'room'] as const;
/** Every person who signed in, whatever their role (the API docs). */
export const ANY_PERSON = PEOPLE_ROLES.filter((r) => r !== 'metrics');

const refused = (refused: 401 | 403 | 404, message: string): Refusal => ({ refused, message });

function ticketCaller(tickets: Tickets, req: FastifyRequest, token: string): Caller | Refusal {
  const params = req.params as { id?: string; proto?: string };
  const declared = req.routeOptions.config.ticket;
  const kind: TicketKind = declared === 'by-proto' ? (params.proto === 'whip' ? 'publish' : 'view') : (declared ?? 'view');
  const c = tickets.check(token, params.id ?? '', kind);
  if (!c.ok) return refused(401, c.reason);
  // An expired ticket still manages the session it opened (PATCH, DELETE), never opens a new one.
  if (c.expired && req.method === 'POST') return refused(401, 'the ticket has expired: ask for a new one');
  return { name: `ticket:${c.subject}`, role: 'officer', roles: ['officer'], ip: req.ip, viaToken: true };
}

export function hubAuth(deps: HubAuthDeps & { tickets?: Tickets }): AuthPluginOptions {
  return {
    roles: HUB_ROLES,
    requireRole: true,
    headerOnly: true,
    prefixRoles: [['/docs', ANY_PERSON]], // the API docs (swagger-ui, registered after this plugin): anyone signed in
    identify(req, token, needs) {
      const anonymous: Caller = { name: 'anonymous', role: 'none', ip: req.ip, viaToken: false };
      if (!needs) return anonymous; // routes of external plugins (console files): public
      if (token?.startsWith(TICKET_PREFIX) && req.routeOptions.config.ticket && deps.tickets) return ticketCaller(deps.tickets, req, token);
      const named = (req.params as { room?: unknown } | undefined)?.room;
      const roomRoute = needs.includes('room') && typeof named === 'string';
      if (roomRoute && !roomKnown(deps, named)) return refused(404, `room "${named}" is not known at this hub`);
      const who = resolveCaller(deps, req, token);
      switch (who.kind) {
        case 'refused':
          return refused(who.status, who.message);
        case 'nobody':
          return refused(401, 'cần đăng nhập / sign in, or send Authorization: Bearer');
        case 'room':
          if (roomRoute && who.id !== named) return refused(401, `wrong credential for room "${named}"`);
          return { name: who.id, role: 'room', ip: req.ip, viaToken: true };
        case 'person': {
          const role = needs.find((n) => (who.roles as string[]).includes(n)) ?? who.roles[0] ?? 'none';
          return { name: who.name, role, roles: who.roles, ip: req.ip, viaToken: who.via === 'token' };
        }
      }
    },
    allows: (caller, needs) => needs.some((n) => (caller.roles ?? [caller.role]).includes(n)),
    forbidden: (caller, needs) =>
      `${caller.role === 'room' ? `phòng ${caller.name}` : caller.name}: cần vai trò ${needs.join(' hoặc ')} / needs role ${needs.join(' or ')}`,
  };
}
