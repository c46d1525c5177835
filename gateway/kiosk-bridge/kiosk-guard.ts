import type { FastifyReply, FastifyRequest } from 'fastify';
import { createTicketChecker, KIOSK_PROTOCOL, ticketFromProtocols } from '../../common/local-bridge/bridge-ticket.js';
import { sendError } from '../../common/http/error-reply.js';

// Who may open the kiosk bridge (`/kiosk/signal`): a page of the kiosk's own origin (the daemon's
// http://127.0.0.1:8080, or this gateway's test page) holding a fresh ticket the daemon issued
// (common/local-bridge), and no more than `maxPeers` at once. Refusals happen before the upgrade, in
// the one error shape: 403 another origin, 401 no ticket or a bad one (with the reason), 429 too many
// peers. A race past the count (two upgrades at once) is closed right after it opens (1013).

export interface KioskGuardOptions {
  secret: Buffer;
  /** Origins a browser page may open the bridge from; a request without Origin (not a browser) still needs a ticket. */
  origins: () => string[];
  maxPeers: number;
  now?: () => number;
}

export const DEFAULT_MAX_KIOSK_PEERS = 4;

export function createKioskGuard(o: KioskGuardOptions) {
  const check = createTicketChecker(o.secret, o.now);
  let peers = 0;
  const tooMany = `đã có ${o.maxPeers} màn hình kiosk kết nối, không nhận thêm / ${o.maxPeers} kiosk connections already open, no more accepted`;

  return {
    /** preValidation of the upgrade request: refuses with the reason, or lets it through. */
    async admit(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
      const refuse = (status: number, code: string, why: string, message: string) => {
        // Never the ticket itself: who knocked, and why they were turned away (probing shows up in the journal).
        req.log.warn({ ip: req.ip, origin: req.headers.origin, why }, 'kiosk bridge refused');
        return sendError(reply, status, code, message);
      };
      const origin = req.headers.origin;
      if (origin !== undefined && !o.origins().includes(origin))
        return refuse(403, 'FORBIDDEN', 'origin', `nguồn ${origin} không được phép / origin ${origin} is not the kiosk's`);
      const ticket = ticketFromProtocols(req.headers['sec-websocket-protocol']);
      if (!ticket)
        return refuse(401, 'UNAUTHORIZED', 'no ticket', `thiếu vé kết nối / a kiosk ticket is needed (subprotocol ${KIOSK_PROTOCOL})`);
      const r = check(ticket);
      if (!r.ok) return refuse(401, 'UNAUTHORIZED', r.reason, `vé kết nối không hợp lệ / kiosk ticket refused: ${r.reason}`);
      if (peers >= o.maxPeers) return refuse(429, 'TOO_MANY_PEERS', 'too many peers', tooMany);
      return undefined;
    },
    /** The subprotocol the server answers with (the page offers it beside its ticket). */
    handleProtocols(protocols: Set<string>): string | false {
      return protocols.has(KIOSK_PROTOCOL) ? KIOSK_PROTOCOL : false;
    },
    /** A socket opened: counts it, or refuses it past the cap. Returns the release (on close), or null when refused. */
    opened(close: (code: number, reason: string) => void): (() => void) | null {
      if (peers >= o.maxPeers) {
        close(1013, 'too many kiosk connections');
        return null;
      }
      peers += 1;
      let released = false;
      return () => {
        if (!released) (released = true), (peers -= 1);
      };
    },
    peers: () => peers,
  };
}
export type KioskGuard = ReturnType<typeof createKioskGuard>;
