import { RTCPeerConnection, type RTCPeerConnectionConfig } from 'werift';
import type { SubscriptionLeg } from '../sfu/media-plane.js';
import { Source } from '../sfu/source.js';
import { SubscribeLeg } from '../sfu/subscribe-leg.js';
import type { JanusSession } from './janus-client.js';
import type { JanusPublishLeg } from './janus-publish-leg.js';
import { JanusSubscribeLeg } from './janus-subscribe-leg.js';

// WHEP with Janus: a WHEP viewer sends the OFFER (RFC 9725), and Janus 1.1.2's VideoRoom only offers to its
// subscribers (it refuses a subscriber's offer: hub/janus/README.md). So the hub subscribes to the feed itself
// (a werift connection answering Janus's offer, the "upstream") and answers the viewer with a werift leg fed
// from it, as the werift plane does: one extra hop in this process for WHEP viewers only. A publisher that
// reconnects is a new Janus feed: the relay follows it with a new upstream, the viewer's leg stays as it is
// (its Source takes the new tracks as a new generation, as on the werift plane).

interface Upstream {
  leg: JanusSubscribeLeg;
  pc: RTCPeerConnection;
  detach: (() => void)[];
}

export class JanusRelay {
  readonly source: Source;
  private upstream: Upstream | null = null;
  closed = false;
  private generation = 0;

  constructor(
    readonly id: string,
    readonly publisherId: string,
    /** the publisher's Source: keyframe requests go to it (its encoder, through signaling, and Janus's PLI) */
    private readonly origin: Source,
    private readonly peerConfig: RTCPeerConnectionConfig,
  ) {
    this.source = new Source(publisherId, () => origin.requestKeyframe());
  }

  /** Whether the relay feeds from this publish leg already. */
  follows(publisher: JanusPublishLeg): boolean {
    return this.upstream?.leg.publisher === publisher;
  }

  /** Subscribes to the publisher's (new) feed; the previous upstream is closed once the new one is set up. */
  async follow(session: JanusSession, publisher: JanusPublishLeg): Promise<void> {
    const pc = new RTCPeerConnection(this.peerConfig);
    const up: Upstream = { pc, detach: [], leg: undefined as unknown as JanusSubscribeLeg };
    pc.onTrack.subscribe((track) => void up.detach.push(this.source.attach(track)));
    const sid = `${this.id}-relay-${++this.generation}`;
    up.leg = new JanusSubscribeLeg(session, sid, this.publisherId, 'hub', publisher, () => this.origin.requestKeyframe());
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: await up.leg.offer() });
      await pc.setLocalDescription(await pc.createAnswer());
      await up.leg.accept(pc.localDescription!.sdp);
    } catch (err) {
      await closeUpstream(up);
      throw err;
    }
    const old = this.upstream;
    this.upstream = up;
    if (old) await closeUpstream(old);
    if (this.closed) await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    const up = this.upstream;
    this.upstream = null;
    if (up) await closeUpstream(up);
  }
}

async function closeUpstream(up: Upstream): Promise<void> {
  for (const d of up.detach) d();
  await up.leg.close();
  await up.pc.close().catch(() => undefined);
}

/** A WHEP viewer through a relay: its leg's close takes the relay with it. */
export async function relayedWatch(o: {
  session: JanusSession;
  id: string;
  publisherId: string;
  publisher: JanusPublishLeg;
  origin: Source;
  offerSdp: string;
  peerConfig: RTCPeerConnectionConfig;
}): Promise<{ sdp: string; leg: SubscriptionLeg; relay: JanusRelay }> {
  const relay = new JanusRelay(o.id, o.publisherId, o.origin, o.peerConfig);
  const viewer = new SubscribeLeg(o.id, o.publisherId, o.id, relay.source, o.peerConfig);
  const closeViewer = viewer.close.bind(viewer);
  viewer.close = async () => {
    await closeViewer();
    await relay.close();
  };
  try {
    await relay.follow(o.session, o.publisher);
    return { sdp: await viewer.answer(o.offerSdp), leg: viewer, relay };
  } catch (err) {
    await viewer.close();
    throw err;
  }
}
