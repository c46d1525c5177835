import type { RTCPeerConnectionConfig } from 'werift';
import type { HearingInfo, HubMessage, ParticipantInfo } from '../../common/contracts/signaling/messages.js';
import type { Logger } from '../../common/log.js';
import { AppError, NotFoundError } from '../../common/errors.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import type { MediaPlane, PublishLeg, SubscriptionLeg } from './media-plane.js';
import { Source } from './source.js';
import { weriftPlane } from './werift-plane.js';

// Who is connected, which hearing each one is in, and the legs between them. `sync()` is the one
// place that decides: every participant in a hearing gets one subscribe leg per other participant
// that publishes; anything else is closed. It runs whenever a participant or a hearing changes. The legs
// themselves are the media plane's (media-plane.ts: werift in this process, or Janus).

export interface MemberHandle {
  info: ParticipantInfo;
  send(msg: HubMessage): void;
  /** Rooms and officers watch the others; WHIP publishers only send. */
  subscribes: boolean;
  /** Officers and WHIP: the hearing they asked for. Rooms: undefined (the hub places them). */
  hearing?: string;
  /** Another connection took this participant id over. */
  evicted?(): void;
}

export interface Member extends MemberHandle {
  hearingId: string | null;
  publish: PublishLeg | null;
  subs: Map<string, SubscriptionLeg>; // by publisher id
  lastHearing: string;
}

export class UnknownSidError extends AppError {
  constructor(sid: string) {
    super(`no subscription "${sid}" on this connection`, 404, 'UNKNOWN_SID');
  }
}

export type Conference = ReturnType<typeof createConference>;

/** What a participant on a lost media plane is told: the console and the gateways reconnect at once on MOVED. */
export const MEDIA_LOST = 'MOVED';

export function createConference(deps: { store: HearingStore; peerConfig: RTCPeerConnectionConfig; plane?: MediaPlane; logger: Logger }) {
  const { store, logger } = deps;
  const plane = deps.plane ?? weriftPlane(deps.peerConfig);
  const members = new Map<string, Member>();
  const sources = new Map<string, Source>();
  const sids = new Map<string, { leg: SubscriptionLeg; member: Member }>();
  const viewers = new Map<string, SubscriptionLeg>(); // WHEP
  const departed = new Set<string>(); // officers and WHIP publishers gone whose Source stays for its WHEP viewers
  let counter = 0;

  const sourceOf = (id: string): Source => {
    let s = sources.get(id);
    if (!s) {
      s = new Source(id, () => {
        const m = members.get(id);
        m?.publish?.requestKeyframe(); // RTCP PLI on its receiver
        m?.send({ type: 'keyframe-request' }); // and the room's encoder, through its gateway
      });
      sources.set(id, s);
    }
    return s;
  };

  const hearingInfo = (id: string | null): HearingInfo | null => {
    const h = id ? store.find(id) : undefined;
    if (!h) return null;
    return { id: h.id, title: h.title, participants: [...members.values()].filter((m) => m.hearingId === h.id).map((m) => m.info) };
  };

  const placeOf = (m: MemberHandle): string | null => {
    if (m.info.kind === 'room') return store.activeOf(m.info.id)?.id ?? null;
    return m.hearing && store.find(m.hearing)?.state === 'active' ? m.hearing : null;
  };

  function openSub(s: Member, p: Member, sid = `sub-${++counter}`) {
    const leg = plane.subscribe({
      sid,
      publisherId: p.info.id,
      subscriberId: s.info.id,
      publisher: p.publish!,
      source: sourceOf(p.info.id),
    });
    s.subs.set(p.info.id, leg);
    sids.set(sid, { leg, member: s });
    leg.offer().then(
      (sdp) => s.subs.get(p.info.id) === leg && s.send({ type: 'subscribe-offer', sid, publisher: p.info, sdp }),
      (err) => logger.warn({ err, sid }, 'subscribe offer failed'),
    );
  }

  function closeSub(s: Member, publisherId: string, notify: boolean) {
    const leg = s.subs.get(publisherId);
    if (!leg) return;
    s.subs.delete(publisherId);
    sids.delete(leg.sid);
    void leg.close();
    if (notify) s.send({ type: 'unsubscribe', sid: leg.sid });
  }

  function sync() {
    for (const m of members.values()) m.hearingId = placeOf(m);
    for (const m of members.values()) {
      const info = hearingInfo(m.hearingId);
      const sig = JSON.stringify(info);
      if (sig !== m.lastHearing) {
        m.lastHearing = sig;
        m.send({ type: 'hearing', hearing: info });
      }
    }
    for (const s of members.values()) {
      const want = new Set<string>();
      if (s.subscribes && s.hearingId)
        for (const p of members.values()) if (p !== s && p.hearingId === s.hearingId && p.publish) want.add(p.info.id);
      for (const pid of [...s.subs.keys()]) if (!want.has(pid)) closeSub(s, pid, true);
      for (const pid of want) if (!s.subs.has(pid)) openSub(s, members.get(pid)!);
    }
  }

  /** A participant's Source goes when it has left and its last WHEP viewer too (rooms' stay: they come back). */
  function dropSource(id: string) {
    if (members.has(id) || [...viewers.values()].some((v) => v.publisherId === id)) return;
    sources.delete(id);
    departed.delete(id);
  }

  function remove(m: Member) {
    members.delete(m.info.id);
    if (m.info.kind !== 'room') departed.add(m.info.id);
    for (const pid of [...m.subs.keys()]) closeSub(m, pid, false);
    void m.publish?.close();
    m.publish = null;
    if (m.info.kind !== 'room') dropSource(m.info.id);
    sync();
  }

  // Every leg died with the plane (Janus restarted): whoever had one reconnects and gets new legs.
  plane.onLost((why) => {
    const hit = [...members.values()].filter((m) => m.publish || m.subs.size > 0);
    logger.error({ why, participants: hit.length }, 'MEDIA PLANE LOST: its participants are told to reconnect');
    for (const m of hit) lostPlane(m, why);
  });
  function lostPlane(m: Member, why: string) {
    m.send({
      type: 'error',
      code: MEDIA_LOST,
      fatal: true,
      message: `máy chủ truyền thông đã khởi động lại, hãy kết nối lại / the media server restarted: reconnect (${why})`,
    });
    remove(m);
  }

  return {
    nextId: (prefix: string) => `${prefix}-${++counter}`,
    /** Attaches a participant; sends its `welcome`. A participant id already connected is replaced. */
    join(handle: MemberHandle): Member {
      const old = members.get(handle.info.id);
      if (old) {
        remove(old);
        old.evicted?.();
      }
      const m: Member = { ...handle, hearingId: placeOf(handle), publish: null, subs: new Map(), lastHearing: '' };
      members.set(m.info.id, m);
      const hearing = hearingInfo(m.hearingId);
      m.lastHearing = JSON.stringify(hearing);
      m.send({ type: 'welcome', participant: m.info, hearing });
      sync();
      return m;
    },
    leave(m: Member) {
      if (members.get(m.info.id) === m) remove(m);
    },
    isCurrent: (m: Member) => members.get(m.info.id) === m,
    /** A (new) publish offer: builds the leg, then retires the old one. */
    async publish(m: Member, offerSdp: string): Promise<string> {
      const leg = await plane.publish(m.info.id, offerSdp, sourceOf(m.info.id)).catch((err: unknown) => {
        // The media plane is down (Janus): a participant that stays connected would never offer again (the
        // console does not retry a refused offer); told to reconnect, it offers again after it does.
        if ((err as { code?: string }).code === 'MEDIA_UNAVAILABLE' && members.get(m.info.id) === m) lostPlane(m, (err as Error).message);
        throw err;
      });
      if (members.get(m.info.id) !== m) {
        await leg.close();
        throw new AppError('participant left while publishing', 409, 'GONE');
      }
      const old = m.publish;
      m.publish = leg;
      void old?.close();
      // Janus: the new connection is a new feed; its subscribers get fresh legs (unsubscribe + subscribe-offer).
      if (old && !plane.subscribersSurviveRepublish) for (const s of members.values()) closeSub(s, m.info.id, true);
      plane.republished(m.info.id, leg); // WHEP viewers keep watching across the participant's reconnects
      sync();
      return leg.answer;
    },
    async answer(m: Member, sid: string, sdp: string) {
      const entry = sids.get(sid);
      if (!entry || entry.member !== m) throw new UnknownSidError(sid);
      await entry.leg.accept(sdp);
    },
    /** A fresh connection and offer under the same sid (the subscriber's connection failed). */
    resubscribe(m: Member, sid: string) {
      const entry = sids.get(sid);
      if (!entry || entry.member !== m) throw new UnknownSidError(sid);
      const p = members.get(entry.leg.publisherId);
      closeSub(m, entry.leg.publisherId, false);
      if (p) openSub(m, p, sid);
    },
    /** WHEP: a viewer of one participant (it keeps watching across the participant's reconnects). */
    async watch(publisherId: string, offerSdp: string): Promise<{ id: string; sdp: string; leg: SubscriptionLeg }> {
      const id = `whep-${++counter}`;
      const publisher = members.get(publisherId)?.publish ?? null;
      const { sdp, leg } = await plane.watch({ id, publisherId, publisher, source: sourceOf(publisherId), offerSdp });
      viewers.set(id, leg);
      return { id, sdp, leg };
    },
    async unwatch(id: string) {
      const leg = viewers.get(id);
      if (!leg) throw new NotFoundError(`viewer "${id}" not found`);
      viewers.delete(id);
      await leg.close();
      if (departed.has(leg.publisherId)) dropSource(leg.publisherId); // its publisher left before this viewer
    },
    viewer: (id: string) => viewers.get(id),
    sync,
    /** What the media plane received from a participant (null: the plane does not tell, media-plane.ts). */
    received: (id: string) => plane.received(members.get(id)?.publish ?? null, sources.get(id)),
    /** Before reading received/path/legs' sent: the plane's counters brought up to date (Janus: on demand). */
    refreshCounters: async () => plane.refreshCounters?.(),
    /** Every publisher the plane has counts for: the hub's /metrics rows. */
    receivedCounts: () =>
      [...new Set([...sources.keys(), ...[...members.values()].filter((m) => m.publish).map((m) => m.info.id)])].flatMap((id) => {
        const received = plane.received(members.get(id)?.publish ?? null, sources.get(id));
        return received ? [{ participantId: id, received }] : [];
      }),
    hearingInfo,
    member: (id: string) => members.get(id),
    members: () => [...members.values()],
    sources: () => [...sources.values()],
    legs: () => [...[...sids.values()].map((e) => e.leg), ...viewers.values()],
    async stop() {
      for (const m of [...members.values()]) remove(m);
      await Promise.all([...viewers.values()].map((v) => v.close()));
      viewers.clear();
      await plane.stop();
    },
  };
}
