import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Short-lived WHIP/WHEP tickets: a Bearer token bound to one hearing and one kind (publish: WHIP,
// view: WHEP), signed with the hub's HMAC key (random per process: a restart ends every ticket).
// `rt1.<base64url payload>.<base64url HMAC-SHA256>`; the payload names who issued it (audit).

export const TICKET_PREFIX = 'rt1.';
export const TICKET_KINDS = ['publish', 'view'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

interface Payload {
  h: string;
  k: TicketKind;
  exp: number;
  sub: string;
  n: string;
}

export type TicketCheck = { ok: true; subject: string; expired: boolean } | { ok: false; reason: string };

export function createTickets(opts: { now?: () => number; key?: Buffer } = {}) {
  const key = opts.key ?? randomBytes(32);
  const now = opts.now ?? Date.now;
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  return {
    issue(hearing: string, kind: TicketKind, ttlSeconds: number, subject: string) {
      const exp = now() + ttlSeconds * 1000;
      const body = Buffer.from(
        JSON.stringify({ h: hearing, k: kind, exp, sub: subject, n: randomBytes(8).toString('hex') } satisfies Payload),
      ).toString('base64url');
      return { ticket: `${TICKET_PREFIX}${body}.${mac(body)}`, expiresAt: new Date(exp).toISOString() };
    },
    /** Whether `token` is a ticket of this hub for `hearing` and `kind`; `expired` is for the caller to judge. */
    check(token: string, hearing: string, kind: TicketKind): TicketCheck {
      const [body, sig, extra] = token.slice(TICKET_PREFIX.length).split('.');
      if (!token.startsWith(TICKET_PREFIX) || !body || !sig || extra !== undefined) return { ok: false, reason: 'not a ticket' };
      const [a, b] = [Buffer.from(sig), Buffer.from(mac(body))];
      if (a.length !== b.length || !timingSafeEqual(a, b))
        return { ok: false, reason: 'ticket signature does not verify (forged, or from before a hub restart)' };
      const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      if (p.h !== hearing) return { ok: false, reason: `the ticket is for another hearing` };
      if (p.k !== kind) return { ok: false, reason: `the ticket is for ${p.k === 'view' ? 'WHEP (view)' : 'WHIP (publish)'}, not this` };
      return { ok: true, subject: p.sub, expired: now() >= p.exp };
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
