import type { RTCPeerConnection } from 'werift';
import type { MediaPath } from '../../common/contracts/ice-servers.js';
import type { Counter, MediaKind, Source } from './source.js';

// Where the media legs are made: the conference decides who gets which leg (conference.ts `sync()`), a media
// plane makes them. Two planes: werift in this process (werift-plane.ts, the embedded default) and Janus
// VideoRoom driven over its HTTP API (hub/janus/). The signaling protocol is the same for both.

export type Candidate = { candidate: string; sdpMid?: string };

/** A participant's publish connection: the hub's (or Janus's) answer to its offer. */
export interface PublishLeg {
  readonly answer: string;
  /** new | connecting | connected | failed | closed */
  readonly state: string;
  /** werift legs only: the connection */
  readonly pc?: RTCPeerConnection;
  /** how the participant's media reaches the plane (direct UDP or through TURN); null while not known */
  readonly path: MediaPath | null;
  /** Janus legs: what Janus received from the publisher (Admin API); null when not read */
  readonly received?: Record<MediaKind, Counter> | null;
  /** RTCP PLI to the publisher (werift sends it; Janus is asked to) */
  requestKeyframe(): void;
  /** WHIP trickle (PATCH) */
  addIceCandidate(c: Candidate): Promise<void>;
  close(): Promise<void>;
}

/** One publisher's audio + video to one subscriber (signaling: the hub offers; WHEP: the viewer offers). */
export interface SubscriptionLeg {
  readonly sid: string;
  readonly publisherId: string;
  readonly subscriberId: string;
  readonly state: string;
  /** what this leg sent; null where the plane does not tell (Janus) */
  readonly sent: Record<MediaKind, Counter> | null;
  readonly pc?: RTCPeerConnection;
  offer(): Promise<string>;
  accept(answerSdp: string): Promise<void>;
  addIceCandidate(c: Candidate): Promise<void>;
  close(): Promise<void>;
}

export interface MediaPlane {
  readonly name: 'werift' | 'janus';
  /** werift: a publisher's new connection feeds the same Source, its subscribers keep their legs. Janus: a new feed, new legs. */
  readonly subscribersSurviveRepublish: boolean;
  publish(participantId: string, offerSdp: string, source: Source): Promise<PublishLeg>;
  subscribe(o: { sid: string; publisherId: string; subscriberId: string; publisher: PublishLeg; source: Source }): SubscriptionLeg;
  /** WHEP: the viewer's offer in, an answer out. `publisher`: its current publish leg, if it publishes. */
  watch(o: {
    id: string;
    publisherId: string;
    publisher: PublishLeg | null;
    source: Source;
    offerSdp: string;
  }): Promise<{ sdp: string; leg: SubscriptionLeg }>;
  /**
   * What the plane received from a publisher: werift counts in the publisher's Source (zeros before any
   * media); Janus receives it itself and tells through its Admin API (null when that is not read).
   */
  received(publish: PublishLeg | null, source: Source | undefined): Record<MediaKind, Counter> | null;
  /**
   * Brings the counters and paths read above up to date before a reader uses them (GET …/stats, /metrics): Janus
   * reads its Admin API then (a sweep, answers within ~2 s shared); absent: always current (werift counts itself).
   */
  refreshCounters?(): Promise<void>;
  /** A publisher's new connection is up (a reconnect): werift feeds the same Source; Janus moves its WHEP relays to the new feed. */
  republished(publisherId: string, leg: PublishLeg): void;
  /** Every leg of the plane died at once (Janus restarted): the conference lets their participants reconnect. */
  onLost(listener: (why: string) => void): void;
  stop(): Promise<void>;
}
