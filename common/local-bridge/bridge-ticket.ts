import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Short-lived, single-use tickets for the gateway's kiosk bridge WebSocket, and the token that reads its
// /state. The daemon issues a ticket to a caller its own access rules let in (the kiosk page on loopback,
// a monitor token); the gateway checks it with the same local secret (local-secret.ts). A browser cannot
// set headers on a WebSocket, so the page offers the ticket as a WebSocket subprotocol
// (`Sec-WebSocket-Protocol: reception-kiosk.v1, ticket.<ticket>`), never in the URL (no log has it).
//
// ticket = v1.<expiresAtMs base36>.<nonce 16 bytes base64url>.<HMAC-SHA256(secret, "kiosk-bridge|v1|exp|nonce") base64url>

export const KIOSK_PROTOCOL = 'reception-kiosk.v1';
export const TICKET_PREFIX = 'ticket.';
export const TICKET_TTL_MS = 60_000;
const PURPOSE = 'kiosk-bridge|v1';

const mac = (secret: Buffer, text: string) => createHmac('sha256', secret).update(text).digest();

export function issueTicket(secret: Buffer, now = Date.now(), ttlMs = TICKET_TTL_MS): { ticket: string; expiresAt: string } {
  const exp = (now + ttlMs).toString(36);
  const nonce = randomBytes(16).toString('base64url');
  const sig = mac(secret, `${PURPOSE}|${exp}|${nonce}`).toString('base64url');
  return { ticket: `v1.${exp}.${nonce}.${sig}`, expiresAt: new Date(now + ttlMs).toISOString() };
}

export type TicketCheck = { ok: true } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'reused' };

/** Checks tickets; each one is accepted once (the nonces seen are kept until they expire). */
export function createTicketChecker(secret: Buffer, now: () => number = Date.now) {
  const used = new Map<string, number>(); // nonce → expiry (ms)
  return function check(ticket: string): TicketCheck {
    const m = /^v1\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
    if (!m) return { ok: false, reason: 'malformed' };
    const [, exp, nonce, sig] = m as unknown as [string, string, string, string];
    const want = mac(secret, `${PURPOSE}|${exp}|${nonce}`);
    const got = Buffer.from(sig, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'bad-signature' };
    const t = now();
    const expiresAt = Number.parseInt(exp, 36);
    if (expiresAt <= t) return { ok: false, reason: 'expired' };
    for (const [n, e] of used) if (e <= t) used.delete(n);
    if (used.has(nonce)) return { ok: false, reason: 'reused' };
    used.set(nonce, expiresAt);
    return { ok: true };
  };
}

/** The ticket a WebSocket client offered as a subprotocol (`ticket.<ticket>`), if any. */
export function ticketFromProtocols(header: string | string[] | undefined): string | undefined {
  const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((p) => p.trim());
  return list.find((p) => p.startsWith(TICKET_PREFIX))?.slice(TICKET_PREFIX.length);
}

/** The bearer token that reads the gateway's /state (derived: the secret itself never travels). */
export function stateToken(secret: Buffer): string {
  return mac(secret, 'gateway-state|v1').toString('hex');
}

/** True when `presented` is the /state token, compared in constant time. */
export function isStateToken(secret: Buffer, presented: string | undefined): boolean {
  if (!presented) return false;
  const want = Buffer.from(stateToken(secret), 'utf8');
  const got = Buffer.from(presented, 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}
