import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpErrors } from '@fastify/sensible';
import { codeOfStatus } from './error-reply.js';
import { tokenFrom } from './credentials.js';

// One auth plugin for both servers: each route declares who may call it (`config: { role }`); the server
// says who a caller is (`identify`) and what a role includes (`allows`). A missing or unknown credential
// is 401, a known caller without the role 403. Refusals are thrown as HTTP errors, so the one error
// handler (error-handler.ts) answers them in the one error shape.

/**
 * Role names routes may declare. Each server adds its own by declaration merging:
 * `declare module '…/common/http/auth-plugin.js' { interface RouteRoles { officer: true } }`.
 * `public`: nobody is identified, the route checks what it needs itself (the signaling socket, static pages).
 */
export interface RouteRoles {
  public: true;
}
export type RouteRole = keyof RouteRoles;

/** Who is calling. `role` is 'none' for an unidentified caller. */
export interface Caller {
  name: string;
  role: string;
  ip: string;
  /** Identified by a token (not by where the request came from). */
  viaToken: boolean;
  /** Every role the caller holds, when it may hold several (the hub's people); `role` is then the one this route took. */
  roles?: readonly string[];
}

/** identify() refusing the caller outright: a wrong credential (401), or an unknown resource named in the URL (404). */
export interface Refusal {
  refused: 401 | 403 | 404;
  message: string;
  code?: string;
}

export interface AuthPluginOptions {
  /** The roles this server's routes may declare (besides 'public'); a route naming another fails at registration. */
  roles: readonly string[];
  /** Every route registered after the plugin must declare `config.role` (the hub). */
  requireRole?: boolean;
  /**
   * The role of routes that other plugins add without a `config.role` (the API docs: `['/docs', 'officer']`),
   * by URL prefix: `/docs` and `/docs/json` are not open. Register those plugins after this one.
   */
  prefixRoles?: ReadonlyArray<readonly [prefix: string, role: RouteRole | readonly RouteRole[]]>;
  /** Only `Authorization: Bearer` counts on every route, never `?token=` (the hub: no credentials in URLs). */
  headerOnly?: boolean;
  /** The 403 message (default: `role X may not do this (needs Y)`). */
  forbidden?(caller: Caller, needs: readonly string[]): string;
  /** Who is calling; `needs` is the route's roles (undefined: the route declares none). */
  identify(req: FastifyRequest, token: string | undefined, needs: readonly string[] | undefined): Caller | Refusal;
  /** Whether `caller` may call a route that needs one of `needs`. */
  allows(caller: Caller, needs: readonly string[]): boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role allowed to call the route (the server's rank), or the roles that may; 'public': no check here. */
    role?: RouteRole | readonly RouteRole[];
    /** Only `Authorization: Bearer` counts, never `?token=` (WHIP/WHEP). */
    bearerOnly?: boolean;
  }
  interface FastifyRequest {
    /** Set by the auth plugin on every request ('anonymous' / 'none' when nobody was identified). */
    caller: Caller;
  }
}

const listOf = (role: RouteRole | readonly RouteRole[] | undefined): readonly string[] | undefined =>
  role === undefined ? undefined : typeof role === 'string' ? [role] : role;

const refuse = (status: 401 | 403 | 404, message: string, code = codeOfStatus(status)) => httpErrors.createError(status, message, { code });

export const authPlugin = fp(
  async (app: FastifyInstance, opts: AuthPluginOptions) => {
    app.decorateRequest('caller', null as unknown as Caller);

    app.addHook('onRoute', (route) => {
      const byPrefix = route.config?.role ? undefined : opts.prefixRoles?.find(([p]) => route.url === p || route.url.startsWith(`${p}/`));
      if (byPrefix) route.config = { ...route.config, role: byPrefix[1] };
      const roles = listOf(route.config?.role);
      if (!roles) {
        if (opts.requireRole) throw new Error(`${route.method} ${route.url}: no config.role (every route declares who may call it)`);
        return;
      }
      const unknown = roles.filter((r) => r !== 'public' && !opts.roles.includes(r));
      if (unknown.length)
        throw new Error(`${route.method} ${route.url}: unknown role ${unknown.join(', ')} (known: ${opts.roles.join(', ')}, public)`);
    });

    app.addHook('onRequest', async (req) => {
      const config = req.routeOptions.config;
      const needs = listOf(config?.role);
      req.caller = { name: 'anonymous', role: 'none', ip: req.ip, viaToken: false };
      if (needs?.includes('public')) return;
      const who = opts.identify(req, tokenFrom(req.headers, config?.bearerOnly || opts.headerOnly ? undefined : req.query), needs);
      if ('refused' in who) throw refuse(who.refused, who.message, who.code);
      req.caller = who;
      if (!needs || opts.allows(who, needs)) return;
      if (who.role === 'none') throw refuse(401, 'a token is required (Authorization: Bearer)');
      throw refuse(403, opts.forbidden?.(who, needs) ?? `role ${who.role} may not do this (needs ${needs.join(' or ')})`);
    });
  },
  { name: 'reception-auth', dependencies: [] },
);
