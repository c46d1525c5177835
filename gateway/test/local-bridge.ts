import { randomBytes } from 'node:crypto';
import { issueTicket, KIOSK_PROTOCOL, stateToken, TICKET_PREFIX } from '../../common/local-bridge/bridge-ticket.js';

/** A gateway's `local` deps for tests: a fresh secret, and what the daemon would derive from it. */
export function testLocalBridge(kioskOrigins: string[] = []) {
  const secret = randomBytes(32);
  return {
    local: { secret, kioskOrigins },
    /** Headers that read /state. */
    stateHeaders: () => ({ authorization: `Bearer ${stateToken(secret)}` }),
    stateToken: stateToken(secret),
    /** A fresh ticket, as the daemon issues it to the kiosk page. */
    ticket: () => issueTicket(secret).ticket,
    /** The subprotocols a kiosk client offers with a fresh ticket. */
    protocols: () => [KIOSK_PROTOCOL, `${TICKET_PREFIX}${issueTicket(secret).ticket}`],
  };
}
