import { matchesSha256 } from '../../common/http/credentials.js';
import type { PersonRole } from '../auth/identity.js';
import type { TokenEntry } from './schema.js';

// Credentials in the config: API tokens carry their roles, kept as SHA-256 only (rooms are known by
// enrollment only: hub/enrollment). The one auth plugin (hub/auth) asks here, as does the signaling socket (through it).

export { sha256Hex } from '../../common/http/credentials.js';

export interface AuthDeps {
  tokens: TokenEntry[];
  /** Loopback callers get `loopbackRoles` without a credential (the demo; off by default). */
  allowLoopbackOfficers: boolean;
  loopbackRoles?: PersonRole[];
}

/** The API token this is (constant-time against every entry), with its roles. */
export function checkToken(deps: Pick<AuthDeps, 'tokens'>, token: string): { name: string; roles: PersonRole[] } | undefined {
  let found: TokenEntry | undefined;
  for (const t of deps.tokens) if (matchesSha256(t.sha256, token) && !found) found = t;
  return found && { name: found.name, roles: [...found.roles] };
}
