import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { Logger } from '../../common/log.js';
import type { RtpSource } from '../uplink/rtp-source.js';
import type { Subscriptions } from '../uplink/subscriptions.js';
import type { KioskGuard } from './kiosk-guard.js';
import { createKioskPeer, type KioskPeer } from './kiosk-peer.js';

export interface KioskSignalDeps {
  room: { id: string; name: string };
  source: RtpSource;
  subscriptions: Subscriptions;
  requestSelfKeyframe: () => void;
  logger: Logger;
}

/** Whoever opens the bridge: origin, ticket and peer cap (kiosk-guard.ts). */
export type KioskSignalOptions = KioskSignalDeps & { guard: KioskGuard };

/**
 * `/kiosk/signal`: the gateway offers, the page answers. Messages (JSON):
 *   gateway → page  {type:'offer', sdp, streams:[{mid, kind, participant, name, self}]}
 *                   {type:'participants-changed', participants:[{id, name}]}
 *   page → gateway  {type:'answer', sdp} | {type:'request-offer'}
 * On `participants-changed` the page drops its connection and asks for a new offer: joining or
 * leaving rebuilds the kiosk connection instead of renegotiating it (simple, and it cannot wedge).
 * Only a page of the kiosk's origin with a ticket from the daemon gets in, at most maxPeers at once.
 */
export const kioskSignal: FastifyPluginAsync<KioskSignalOptions> = async (app, deps) => {
  app.get('/kiosk/signal', { websocket: true, preValidation: deps.guard.admit }, (socket: WebSocket) => {
    const release = deps.guard.opened((code, reason) => socket.close(code, reason));
    if (!release) return;
    let peer: KioskPeer | undefined;
    let building: Promise<void> = Promise.resolve();
    const send = (msg: object) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(msg));

    // Offers are built one after another: a burst of request-offers must not leave two connections.
    // An offer is not sent when a newer one is queued or the page is about to ask for one (it answers every
    // participants-changed with request-offer): two offers in flight crossed, the page's answer to the older
    // reached the newer peer ('kiosk answer refused') and the kiosk had no picture until its 10 s stall rebuild
    // (issue 15: 3 of 22 gateway restarts took 13–20 s, the page connecting before the officer's subscription).
    let queued = 0;
    let requestExpected = false;
    const superseded = () => queued > 0 || requestExpected;
    const offer = () => {
      queued++;
      return (building = building
        .then(async () => {
          queued--;
          await peer?.close();
          peer = undefined;
          if (superseded()) return;
          const next = await createKioskPeer({
            room: deps.room,
            source: deps.source,
            subscriptions: deps.subscriptions,
            onSelfKeyframe: deps.requestSelfKeyframe,
          });
          if (socket.readyState !== socket.OPEN || superseded()) return void next.close();
          peer = next;
          send({ type: 'offer', ...next.offer });
        })
        .catch((err: Error) => deps.logger.error({ err }, 'kiosk offer failed')));
    };

    // Joins that come together (a hearing's participants at its start) are one new offer; 100 ms is
    // enough for that and is time the officer's picture waits (issue 15: was 300 ms).
    let debounce: NodeJS.Timeout | undefined;
    const onChanged = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        if (socket.readyState === socket.OPEN) requestExpected = true; // its request-offer follows
        send({
          type: 'participants-changed',
          participants: deps.subscriptions.list().map((f) => ({ id: f.participant.id, name: f.participant.name })),
        });
      }, 100);
    };
    deps.subscriptions.on('changed', onChanged);

    socket.on('message', (raw: Buffer) => {
      let msg: { type?: unknown; sdp?: unknown };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return void send({ type: 'error', message: 'not JSON' });
      }
      if (msg.type === 'request-offer') {
        requestExpected = false;
        void offer();
      } else if (msg.type === 'answer' && typeof msg.sdp === 'string') {
        const sdp = msg.sdp;
        building = building
          .then(() => peer?.applyAnswer(sdp))
          .catch((err: Error) => deps.logger.warn({ err: err.message }, 'kiosk answer refused'));
      } else send({ type: 'error', message: 'expected request-offer or answer' });
    });
    socket.on('close', () => {
      release();
      clearTimeout(debounce);
      deps.subscriptions.off('changed', onChanged);
      building = building.then(() => peer?.close());
    });
    void offer();
  });
};
