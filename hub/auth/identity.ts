import type { FastifyRequest } from 'fastify';

// Who a person at the hub is, once signed in (hub/accounts: local accounts, OpenID Connect) — the
// contract between the sign-in code and the one auth plugin (hub-auth.ts), which reads the session.

/** People's roles. A person holds one or more; a route declares which it takes. */
export const PEOPLE_ROLES = ['officer', 'supervisor', 'archivist', 'technician', 'monitor', 'metrics'] as const;
export type PersonRole = (typeof PEOPLE_ROLES)[number];

export interface SignedInUser {
  name: string;
  roles: PersonRole[];
  /** How they signed in. */
  via: 'local' | 'oidc';
}

export interface Session {
  id: string;
  user: SignedInUser;
  /** Sent back by the console in `x-csrf-token` on every state-changing request. */
  csrf: string;
  expiresAt: number;
}

/** The session a request carries (its cookie), if any and still valid. */
export interface SessionLookup {
  fromRequest(req: FastifyRequest): Session | undefined;
}
