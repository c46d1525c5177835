import { RTCPeerConnection, type RTCPeerConnectionConfig } from 'werift';
import { Source } from '../sfu/source.js';
import { SubscribeLeg } from '../sfu/subscribe-leg.js';
import type { SubscriptionLeg } from '../sfu/media-plane.js';
import type { JanusSession } from './janus-client.js';
import type { JanusPublishLeg } from './janus-publish-leg.js';
import { JanusSubscribeLeg } from './janus-subscribe-leg.js';

// WHEP with Janus: a WHEP viewer sends the OFFER (RFC 9725), and Janus 1.1.2's VideoRoom only offers to its
// subscribers (it refuses a subscriber's offer: hub/janus/README.md). So the hub subscribes to the feed itself
// (a werift connection answering Janus's offer) and answers the viewer with a werift leg fed from it, exactly as
// the werift plane does: one extra hop in this process for WHEP viewers only; rooms and officers go through Janus.

export async function relayedWatch(o: {
  session: JanusSession;
  id: string;
  publisherId: string;
  publisher: JanusPublishLeg;
  /** the publisher's Source: keyframe requests go to it (its encoder, through signaling, and Janus's PLI) */
  origin: Source;
  offerSdp: string;
  peerConfig: RTCPeerConnectionConfig;
}): Promise<{ sdp: string; leg: SubscriptionLeg }> {
  const source = new Source(o.publisherId, () => o.origin.requestKeyframe());
  const pc = new RTCPeerConnection(o.peerConfig);
  pc.onTrack.subscribe((track) => source.attach(track));
  const upstream = new JanusSubscribeLeg(o.session, `${o.id}-relay`, o.publisherId, 'hub', o.publisher, () => o.origin.requestKeyframe());
  const viewer = new SubscribeLeg(o.id, o.publisherId, o.id, source, o.peerConfig);
  const closeViewer = viewer.close.bind(viewer);
  // The viewer's leg takes the relay with it.
  viewer.close = async () => {
    await closeViewer();
    await upstream.close();
    await pc.close().catch(() => undefined);
  };
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: await upstream.offer() });
    await pc.setLocalDescription(await pc.createAnswer());
    await upstream.accept(pc.localDescription!.sdp);
    return { sdp: await viewer.answer(o.offerSdp), leg: viewer };
  } catch (err) {
    await viewer.close();
    throw err;
  }
}
