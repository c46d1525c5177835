import { isLoopback, matchesSha256 } from '../../common/http/credentials.js';
import type { OfficerEntry, RoomEntry } from './schema.js';

// Who is calling: rooms present their secret, officers a token; both only as SHA-256 in the config.
// The HTTP routes ask through hub/auth (the one auth plugin); the signaling socket asks here directly.

export { sha256Hex } from '../../common/http/credentials.js';

export interface AuthDeps {
  rooms: RoomEntry[];
  officers: OfficerEntry[];
  allowLoopbackOfficers: boolean;
}

export type RoomCheck = { ok: true; room: RoomEntry } | { ok: false; code: 'UNKNOWN_ROOM' | 'UNAUTHORIZED'; message: string };

export function checkRoom(deps: AuthDeps, roomId: string, token: string | undefined): RoomCheck {
  const room = deps.rooms.find((r) => r.id === roomId);
  if (!room) return { ok: false, code: 'UNKNOWN_ROOM', message: `room "${roomId}" is not configured at this hub` };
  if (!token || !matchesSha256(room.secretSha256, token))
    return { ok: false, code: 'UNAUTHORIZED', message: `wrong or missing secret for room "${roomId}"` };
  return { ok: true, room };
}

/** An officer: a known token wins; a wrong token is refused even from loopback; no token is fine from loopback if allowed. */
export function checkOfficer(
  deps: AuthDeps,
  ip: string | undefined,
  token: string | undefined,
): { ok: true; name: string } | { ok: false; message: string } {
  if (token) {
    const match = deps.officers.find((o) => matchesSha256(o.sha256, token));
    return match ? { ok: true, name: match.name } : { ok: false, message: 'unknown token' };
  }
  if (deps.allowLoopbackOfficers && isLoopback(ip)) return { ok: true, name: 'loopback' };
  return { ok: false, message: 'a Bearer token is required' };
}
