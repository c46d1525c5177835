import { Type, type Static } from '@sinclair/typebox';
import { HearingInfo, ParticipantInfo } from './signaling/messages.js';
import { MediaPathSchema } from './ice-servers.js';

// Gateway → daemon (and monitors): `GET /state` on the gateway's loopback HTTP (gateway/local-api.ts),
// polled by the daemon's gateway-link twice a second. Pure TypeBox, no app imports.

export const GATEWAY_STATE_PATH = '/state';

/** The link to the hub as the gateway sees it (the daemon adds `down` when the gateway does not answer). */
export const GATEWAY_STATES = ['connecting', 'connected', 'reconnecting', 'failed'] as const;
export type GatewayState = (typeof GATEWAY_STATES)[number];

export const RemoteParticipant = Type.Object({
  sid: Type.String(),
  participant: ParticipantInfo,
  packetsReceived: Type.Integer(),
  connection: Type.String({ description: 'werift connection state of the subscribe connection' }),
});
export type RemoteParticipant = Static<typeof RemoteParticipant>;

export const GatewayStatus = Type.Object({
  state: Type.Union(GATEWAY_STATES.map((s) => Type.Literal(s))),
  since: Type.String({ description: 'ISO time of the last state change' }),
  reason: Type.Optional(Type.String({ description: 'why the link is not connected' })),
  rttMs: Type.Optional(Type.Integer({ description: 'signaling ping round trip to the hub (ms), smoothed; only while connected' })),
  hubUrl: Type.String(),
  room: Type.String(),
  path: Type.Optional({
    ...MediaPathSchema,
    description:
      "how the publish connection's media reaches the hub (direct UDP, or the hub's TURN over UDP/TCP/TLS); only while connected",
  }),
  eventLoop: Type.Optional(
    Type.Object(
      { p99Ms: Type.Number(), maxMs: Type.Number() },
      { description: "how late the gateway's event loop ran over the last 10 s (WebRTC consent checks fail past 500 ms)" },
    ),
  ),
  hearing: Type.Union([HearingInfo, Type.Null()]),
  remotes: Type.Array(RemoteParticipant),
  counters: Type.Object({
    reconnects: Type.Integer({ description: 'signaling connections rebuilt after a failure' }),
    freshPublishConnections: Type.Integer({ description: 'publish connections rebuilt from scratch while signaling was up' }),
    packetsSent: Type.Integer({ description: 'RTP packets forwarded on the publish connection' }),
    packetsFromWorker: Type.Integer({ description: 'RTP packets received from the media worker over UDP' }),
    keyframeRequests: Type.Integer({ description: 'keyframe requests forwarded to the daemon' }),
    malformedMessages: Type.Integer(),
  }),
});
export type GatewayStatus = Static<typeof GatewayStatus>;
