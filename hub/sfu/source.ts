import type { MediaStreamTrack, RtpPacket } from 'werift';

// One publisher's media, kept across its reconnects: each new publish connection attaches its
// tracks here (a new "generation"), and every subscriber leg (a Sink) keeps receiving.

export type MediaKind = 'audio' | 'video';
export interface Counter {
  packets: number;
  bytes: number;
}
export const zero = (): Record<MediaKind, Counter> => ({ audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } });

export interface Sink {
  /** `rtp` is shared by every sink: read it, or send a clone (werift rewrites the header it sends). */
  forward(kind: MediaKind, rtp: RtpPacket, generation: number): void;
}

/** Keyframe requests closer together than this are one request (every new subscriber asks). */
const KEYFRAME_HOLDOFF_MS = 250;

export class Source {
  readonly received = zero();
  readonly sinks = new Set<Sink>();
  keyframeRequests = 0;
  private generation = 0;
  private lastKeyframeAt = 0;

  constructor(
    readonly participantId: string,
    private readonly askPublisher: () => void,
  ) {}

  /** Feeds a received track into the fan-out; returns the detach function. */
  attach(track: MediaStreamTrack): () => void {
    const generation = ++this.generation;
    const kind = track.kind as MediaKind;
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp) => this.push(kind, rtp, generation));
    return unSubscribe;
  }

  push(kind: MediaKind, rtp: RtpPacket, generation: number): void {
    const c = this.received[kind];
    c.packets++;
    c.bytes += rtp.payload.length;
    if (this.sinks.size === 0) return;
    // The publisher's header extensions carry its own ids; subscribers negotiated none.
    rtp.header.extensions = [];
    for (const sink of this.sinks) sink.forward(kind, rtp, generation);
  }

  /** A subscriber lost a picture (PLI/FIR) or just joined: ask the publisher for a keyframe. */
  requestKeyframe(): boolean {
    const now = Date.now();
    if (now - this.lastKeyframeAt < KEYFRAME_HOLDOFF_MS) return false;
    this.lastKeyframeAt = now;
    this.keyframeRequests++;
    this.askPublisher();
    return true;
  }
}
