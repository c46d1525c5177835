import type { Role } from '../../config/schema.js';

// The daemon's route roles (common/http/auth-plugin.ts: `config: { role }`, least role allowed) and its
// own per-route audit setting, typed for every route (convention 7: declare module).
declare module '../../../common/http/auth-plugin.js' {
  interface RouteRoles extends Record<Role, true> {}
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Name written to the audit log; set on every control action. */
    audit?: string;
  }
  interface FastifyRequest {
    auditError?: string;
  }
}
