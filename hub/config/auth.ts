import { createHash, timingSafeEqual } from 'node:crypto';
import type { OfficerEntry, RoomEntry } from './schema.js';

// Who is calling: rooms present their secret, officers a token; both only as SHA-256 in the config.

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sameHash(hex: string, token: string): boolean {
  const a = Buffer.from(hex, 'hex');
  const b = Buffer.from(sha256Hex(token), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** `Authorization: Bearer <token>`, or `?token=` for WebSocket clients that cannot set headers. */
export function tokenFrom(headers: Record<string, string | string[] | undefined>, query: unknown): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim();
  const q = query as { token?: unknown } | undefined;
  return typeof q?.token === 'string' ? q.token : undefined;
}

export interface AuthDeps {
  rooms: RoomEntry[];
  officers: OfficerEntry[];
  allowLoopbackOfficers: boolean;
}

export type RoomCheck = { ok: true; room: RoomEntry } | { ok: false; code: 'UNKNOWN_ROOM' | 'UNAUTHORIZED'; message: string };

export function checkRoom(deps: AuthDeps, roomId: string, token: string | undefined): RoomCheck {
  const room = deps.rooms.find((r) => r.id === roomId);
  if (!room) return { ok: false, code: 'UNKNOWN_ROOM', message: `room "${roomId}" is not configured at this hub` };
  if (!token || !sameHash(room.secretSha256, token)) return { ok: false, code: 'UNAUTHORIZED', message: `wrong or missing secret for room "${roomId}"` };
  return { ok: true, room };
}

/** An officer: a known token wins; a wrong token is refused even from loopback; no token is fine from loopback if allowed. */
export function checkOfficer(deps: AuthDeps, ip: string | undefined, token: string | undefined): { ok: true; name: string } | { ok: false; message: string } {
  if (token) {
    const match = deps.officers.find((o) => sameHash(o.sha256, token));
    return match ? { ok: true, name: match.name } : { ok: false, message: 'unknown token' };
  }
  if (deps.allowLoopbackOfficers && isLoopback(ip)) return { ok: true, name: 'loopback' };
  return { ok: false, message: 'a Bearer token is required' };
}
