import type { RTCPeerConnectionConfig } from 'werift';
import type { Logger } from '../../common/log.js';
import { AppError } from '../../common/errors.js';
import type { MediaPlane } from '../sfu/media-plane.js';
import { handleStats } from './janus-admin.js';
import { counterSweeps } from './janus-counters.js';
import { type JanusEndpoint, JanusSession } from './janus-client.js';
import { MediaUnavailableError } from './janus-errors.js';
import { JanusPublishLeg } from './janus-publish-leg.js';
import { type JanusRelay, relayedWatch } from './janus-relay.js';
import { JanusSubscribeLeg } from './janus-subscribe-leg.js';

// Janus VideoRoom as the hub's media plane (config media.plane = janus): the hub keeps one Janus session and
// makes every leg a VideoRoom handle in it (janus-publish-leg.ts, janus-subscribe-leg.ts). Janus restarted or
// unreachable: the session is lost, every leg with it — the conference tells their participants to reconnect,
// and the next publish opens a new session (or fails with 503 MEDIA_UNAVAILABLE until Janus answers again).

export interface JanusAdminEndpoint {
  url: string;
  secret: string;
  timeoutMs: number;
}

export function janusPlane(o: {
  endpoint: JanusEndpoint;
  peerConfig: RTCPeerConnectionConfig;
  logger: Logger;
  /** Janus's Admin API: the legs' packet counters and paths, read when asked (refreshCounters); absent: they stay null */
  admin?: JanusAdminEndpoint;
  /** a read within this long of the last Admin API sweep is answered from it (default 2000) */
  maxAgeMs?: number;
  now?: () => number;
  /** handle_info of one handle (default janus-admin.ts handleStats; tests count the calls) */
  statsOf?: typeof handleStats;
}): MediaPlane {
  let current: Promise<JanusSession> | null = null;
  const listeners: ((why: string) => void)[] = [];
  const legs = new Set<JanusPublishLeg | JanusSubscribeLeg>();
  const relays = new Set<JanusRelay>(); // WHEP viewers' upstreams: they follow their publisher's new feeds
  const track = (leg: JanusPublishLeg | JanusSubscribeLeg) => {
    for (const l of legs) if (l.state === 'closed') legs.delete(l); // not left to the sweeps: maybe nobody reads
    legs.add(leg);
  };
  const { admin } = o;
  const statsOf = o.statsOf ?? handleStats;
  // No timer: the counters are read when someone reads them (janus-counters.ts), at most once per maxAgeMs.
  const counters = admin
    ? counterSweeps({ legs, read: (s, h) => statsOf(admin, s, h), now: o.now ?? Date.now, maxAgeMs: o.maxAgeMs })
    : undefined;

  const session = (): Promise<JanusSession> => {
    if (current) return current.then((s) => (s.lost ? open() : s));
    return open();
  };
  const open = (): Promise<JanusSession> => {
    const opening = JanusSession.create(o.endpoint).then((s) => {
      o.logger.info({ url: o.endpoint.url, session: s.id }, 'janus session open');
      s.onLost((why) => {
        if (why === 'destroyed') return;
        o.logger.error({ url: o.endpoint.url, why }, 'JANUS SESSION LOST: every Janus leg is gone');
        for (const l of listeners) l(why);
      });
      return s;
    });
    current = opening;
    opening.catch(() => {
      if (current === opening) current = null; // Janus down: the next call tries again
    });
    return opening;
  };
  /** A Janus restarting takes a second or two: a publish waits for it (within the request deadline), then 503. */
  const sessionWithin = async (ms: number): Promise<JanusSession> => {
    for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 500))) {
      try {
        return await session();
      } catch (err) {
        if (!(err instanceof MediaUnavailableError) || Date.now() > end) throw err;
      }
    }
  };
  const janusLeg = (leg: unknown, who: string): JanusPublishLeg => {
    if (leg instanceof JanusPublishLeg) return leg;
    throw new AppError(`người tham gia "${who}" chưa phát hình / participant "${who}" is not publishing`, 409, 'NOT_PUBLISHING');
  };

  return {
    name: 'janus',
    subscribersSurviveRepublish: false,
    received: (publish) => publish?.received ?? null,
    refreshCounters: async () => counters?.refresh(),
    async publish(participantId, offerSdp) {
      const leg = await JanusPublishLeg.create(await sessionWithin(o.endpoint.timeoutMs ?? 10_000), participantId, offerSdp);
      track(leg);
      return leg;
    },
    subscribe(x) {
      const publisher = janusLeg(x.publisher, x.publisherId);
      // A lazy session: subscribe legs are made synchronously, their offer() opens the handle.
      let leg: JanusSubscribeLeg | undefined;
      const connected = () => x.source.requestKeyframe(); // also the room's encoder (keyframe-request), rate-limited
      const lazy = {
        sid: x.sid,
        publisherId: x.publisherId,
        subscriberId: x.subscriberId,
        get sent() {
          return leg?.sent ?? null;
        },
        get state() {
          return leg?.state ?? 'new';
        },
        async offer() {
          leg = new JanusSubscribeLeg(await session(), x.sid, x.publisherId, x.subscriberId, publisher, connected);
          track(leg);
          if (closed) await leg.close();
          return leg.offer();
        },
        accept: (sdp: string) => (leg ? leg.accept(sdp) : Promise.reject(new Error('answer before offer'))),
        addIceCandidate: async (c: { candidate: string; sdpMid?: string }) => leg?.addIceCandidate(c),
        async close() {
          closed = true;
          await leg?.close();
        },
      };
      let closed = false;
      return lazy;
    },
    async watch(x) {
      const { sdp, leg, relay } = await relayedWatch({
        session: await session(),
        id: x.id,
        publisherId: x.publisherId,
        publisher: janusLeg(x.publisher, x.publisherId),
        origin: x.source,
        offerSdp: x.offerSdp,
        peerConfig: o.peerConfig,
      });
      for (const r of relays) if (r.closed) relays.delete(r); // their viewers left
      relays.add(relay);
      return { sdp, leg };
    },
    republished(publisherId, leg) {
      if (!(leg instanceof JanusPublishLeg)) return;
      for (const relay of relays)
        if (relay.closed)
          relays.delete(relay); // its viewer left
        else if (relay.publisherId === publisherId && !relay.follows(leg))
          void session()
            .then((s) => relay.follow(s, leg))
            .catch((err: unknown) =>
              o.logger.warn({ viewer: relay.id, publisherId, err: (err as Error).message }, 'WHEP relay could not follow the new feed'),
            );
    },
    onLost: (l) => listeners.push(l),
    async stop() {
      const s = await current?.catch(() => null);
      await s?.destroy();
      current = null;
    },
  };
}
