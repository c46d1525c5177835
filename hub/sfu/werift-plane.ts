import type { RTCPeerConnectionConfig } from 'werift';
import type { MediaPlane } from './media-plane.js';
import { createPublishLeg } from './publish-leg.js';
import { zero } from './source.js';
import { SubscribeLeg } from './subscribe-leg.js';

// The embedded media plane: werift connections in the hub's own process (publish-leg.ts, subscribe-leg.ts,
// source.ts fanning each publisher out). Nothing to start, nothing to lose but the process itself.

export function weriftPlane(peerConfig: RTCPeerConnectionConfig): MediaPlane {
  return {
    name: 'werift',
    subscribersSurviveRepublish: true,
    publish: (_id, offerSdp, source) => createPublishLeg(offerSdp, source, peerConfig),
    subscribe: (o) => new SubscribeLeg(o.sid, o.publisherId, o.subscriberId, o.source, peerConfig),
    async watch(o) {
      const leg = new SubscribeLeg(o.id, o.publisherId, o.id, o.source, peerConfig);
      try {
        return { sdp: await leg.answer(o.offerSdp), leg };
      } catch (err) {
        await leg.close();
        throw err;
      }
    },
    received: (_publish, source) => source?.received ?? zero(),
    republished: () => {},
    onLost: () => {},
    stop: async () => {},
  };
}
