import type { FastifyInstance } from 'fastify';
import type { RawData } from 'ws';
import type { Logger } from '../../common/log.js';
import { type HubAuthDeps, resolveCaller } from '../auth/resolve-caller.js';
import { tokenFrom } from '../../common/http/credentials.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import { SIGNAL_ROUTE } from '../../common/contracts/signaling/messages.js';
import type { Conference } from '../sfu/conference.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import { createSignalSession, type SessionDeps } from './signal-session.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { CLOSE_UNAUTHORIZED } from './signal-session.js';

// GET /api/v1/signal: the WebSocket of common/contracts/signaling. Rooms authenticate with their
// credential, officers with an API token or their session cookie (or loopback when opted in); tokens as
// `Authorization: Bearer` only. A browser's upgrade carries an Origin: hub/auth/guards.ts checks it.

export interface SignalRouteOptions {
  conference: Conference;
  store: HearingStore;
  auth: HubAuthDeps;
  /** Enrolled rooms: a room's token from its enrollment (hub/enrollment). */
  registry?: Pick<RoomRegistry, 'roomByToken' | 'events' | 'room'>;
  logger: Logger;
  /** Refused connections (4401) are written to the audit log. */
  audit?: AuditLog;
  /** ICE servers for each accepted participant (hub/turn), passed to the session. */
  iceServers?: SessionDeps['iceServers'];
}

const toBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

export async function signalRoutes(app: FastifyInstance, opts: SignalRouteOptions) {
  // 'public' for the auth plugin: the session checks the room's secret or the officer's token itself,
  // against the id the `hello` names, and closes with 4401.
  app.get(SIGNAL_ROUTE, { websocket: true, config: { role: 'public' } }, (socket, req) => {
    const token = tokenFrom(req.headers); // never ?token= (hub/auth/guards.ts refuses it); browsers use the cookie
    const who = resolveCaller({ ...opts.auth, registry: opts.registry ?? opts.auth.registry }, req, token);
    let refusal = '';
    const audited = (code: number, reason: string) => {
      if (code !== CLOSE_UNAUTHORIZED || !opts.audit) return;
      const actor = who.kind === 'person' ? who.name : who.kind === 'room' ? `room:${who.id}` : 'anonymous';
      const entry = { actor, action: 'refused', target: `WS ${req.url.split('?')[0]}`, outcome: 'refused' as const, ip: req.ip };
      opts.audit.append({ ...entry, reason: `4401 ${reason}: ${refusal}` }).catch(() => {}); // logged by the audit log
    };
    const session = createSignalSession({
      ...opts,
      token,
      ...(who.kind === 'person' ? { person: who } : { refusal: who.kind === 'refused' ? who.message : undefined }),
      ip: req.socket.remoteAddress ?? '',
      send: (msg) => {
        if (msg.type === 'error' && msg.fatal) refusal = msg.message;
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
      },
      close: (code, reason) => {
        audited(code, reason);
        socket.close(code, reason);
      },
    });
    socket.on('message', (data) => session.receive(toBuffer(data)));
    socket.on('close', () => session.closed());
    socket.on('error', (err) => opts.logger.debug({ err }, 'signaling socket error'));
  });
}
