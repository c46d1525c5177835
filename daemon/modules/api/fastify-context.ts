import type { Role } from '../../config/schema.js';
import type { Caller } from '../access/access.js';

// Per-route access settings and the caller, typed for every route (convention 7: declare module).
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role allowed to call the route. */
    role?: Role;
    /** Name written to the audit log; set on every control action. */
    audit?: string;
  }
  interface FastifyRequest {
    caller: Caller;
    auditError?: string;
  }
}
