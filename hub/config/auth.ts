import { matchesSha256 } from '../../common/http/credentials.js';
import type { PersonRole } from '../auth/identity.js';
import type { RoomEntry, TokenEntry } from './schema.js';

// Credentials in the config: rooms present their secret, API tokens carry their roles; both kept as
// SHA-256 only. The one auth plugin (hub/auth) asks here, as does the signaling socket (through it).

export { sha256Hex } from '../../common/http/credentials.js';

export interface AuthDeps {
  rooms: RoomEntry[];
  tokens: TokenEntry[];
  /** Loopback callers get `loopbackRoles` without a credential (the demo; off by default). */
  allowLoopbackOfficers: boolean;
  loopbackRoles?: PersonRole[];
}

export type RoomCheck = { ok: true; room: RoomEntry } | { ok: false; code: 'UNKNOWN_ROOM' | 'UNAUTHORIZED'; message: string };

export function checkRoom(deps: Pick<AuthDeps, 'rooms'>, roomId: string, token: string | undefined): RoomCheck {
  const room = deps.rooms.find((r) => r.id === roomId);
  if (!room) return { ok: false, code: 'UNKNOWN_ROOM', message: `room "${roomId}" is not configured at this hub` };
  if (!token || !matchesSha256(room.secretSha256, token))
    return { ok: false, code: 'UNAUTHORIZED', message: `wrong or missing secret for room "${roomId}"` };
  return { ok: true, room };
}

/** The API token this is (constant-time against every entry), with its roles. */
export function checkToken(deps: Pick<AuthDeps, 'tokens'>, token: string): { name: string; roles: PersonRole[] } | undefined {
  let found: TokenEntry | undefined;
  for (const t of deps.tokens) if (matchesSha256(t.sha256, token) && !found) found = t;
  return found && { name: found.name, roles: [...found.roles] };
}
