import { createHash, timingSafeEqual } from 'node:crypto';

// What a caller presents, read the same way by the daemon and the hub. Tokens and secrets are kept
// as hex SHA-256 only; the comparison is constant-time.

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** True when `token` hashes to `hex` (a stored SHA-256), compared in constant time. */
export function matchesSha256(hex: string, token: string): boolean {
  const a = Buffer.from(hex, 'hex');
  const b = Buffer.from(sha256Hex(token), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** `Authorization: Bearer <token>` (scheme case-insensitive), or `?token=` for WebSocket clients that cannot set headers. */
export function tokenFrom(headers: Record<string, string | string[] | undefined>, query?: unknown): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim();
  const q = query as { token?: unknown } | undefined;
  return typeof q?.token === 'string' ? q.token : undefined;
}
