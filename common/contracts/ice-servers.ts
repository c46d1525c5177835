import { Type, type Static } from '@sinclair/typebox';

// ICE servers the hub hands to its authenticated callers (rooms over signaling, officers' browsers, WHIP/WHEP
// `Link: rel="ice-server"`), in the shape of WebRTC's RTCIceServer. TURN entries carry short-lived credentials of
// the TURN REST API (username `<expiry>:<participant>`, credential = base64 HMAC-SHA1 of the username under the
// secret shared with coturn's `static-auth-secret`): hub/turn/.

export const IceServer = Type.Object({
  urls: Type.Array(Type.String({ pattern: '^(stun|stuns|turn|turns):' }), { minItems: 1 }),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});
export type IceServer = Static<typeof IceServer>;

export const IceServers = Type.Object({
  iceServers: Type.Array(IceServer),
  /** When the TURN credentials stop being accepted for new allocations (ms since the epoch); null: no TURN. */
  expiresAt: Type.Union([Type.Number(), Type.Null()]),
});
export type IceServers = Static<typeof IceServers>;

/**
 * The ways a participant's media reaches the hub, from the selected ICE candidate pair. `turn`: through a TURN
 * relay whose transport the hub cannot tell (the client did not mark it in its candidate's priority).
 */
export const MEDIA_PATHS = ['direct-udp', 'turn-udp', 'turn-tcp', 'turn-tls', 'turn', 'unknown'] as const;
export type MediaPath = (typeof MEDIA_PATHS)[number];
export const MediaPathSchema = Type.Union(MEDIA_PATHS.map((p) => Type.Literal(p)));
