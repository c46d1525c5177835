import { Type, type Static } from '@sinclair/typebox';
import { HUB_API } from '../route.js';
import { IceServers } from '../ice-servers.js';

// Signaling between a participant (room gateway or officer's browser) and the hub, JSON over one
// WebSocket: wss://hub/api/v1/signal. Complete SDP (no trickle: every candidate is in the SDP, as
// werift and Chromium produce it after gathering). One publish PeerConnection per participant
// (its own audio + video up), one subscribe PeerConnection per other participant (down):
// joining or leaving never renegotiates an existing connection.

/** The WebSocket's route under HUB_API, and its full path (rooms configure `ws[s]://hub:8090` + SIGNAL_PATH). */
export const SIGNAL_ROUTE = '/signal';
export const SIGNAL_PATH = `${HUB_API}${SIGNAL_ROUTE}`;
export const SIGNALING_PROTOCOL = 1;
export const MAX_SIGNAL_MESSAGE_BYTES = 64 * 1024;

const Sdp = Type.String({ minLength: 10, maxLength: 60_000, description: 'complete SDP' });
export const ParticipantKind = Type.Union([Type.Literal('room'), Type.Literal('officer'), Type.Literal('whip')]);

export const ParticipantInfo = Type.Object({
  id: Type.String({ description: 'participant id: the room id, or officer-<n>, or whip-<n>' }),
  kind: ParticipantKind,
  name: Type.String(),
});
export type ParticipantInfo = Static<typeof ParticipantInfo>;

export const HearingInfo = Type.Object({
  id: Type.String(),
  title: Type.String(),
  participants: Type.Array(ParticipantInfo),
});
export type HearingInfo = Static<typeof HearingInfo>;

/** Client → hub. The first message must be `hello`; anything else before it is refused. */
export const ClientMessage = Type.Union([
  Type.Object({
    type: Type.Literal('hello'),
    protocol: Type.Literal(SIGNALING_PROTOCOL),
    kind: ParticipantKind,
    /** Rooms: their room id (the credential goes in the Authorization header or `?token=`). Officers: a display name. */
    id: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.Optional(Type.String({ maxLength: 128 })),
    /** Officers say which hearing they join; rooms are placed in hearings by the hub. */
    hearing: Type.Optional(Type.String()),
  }),
  /** Offer for the publish connection (sendonly audio + video). A new offer replaces the old connection (reconnect / ICE restart). */
  Type.Object({ type: Type.Literal('publish-offer'), sdp: Sdp, iceRestart: Type.Optional(Type.Boolean()) }),
  /** Answer to a hub's `subscribe-offer`. */
  Type.Object({ type: Type.Literal('subscribe-answer'), sid: Type.String(), sdp: Sdp }),
  /** Ask the hub to resend a subscribe offer (e.g. the subscriber's connection failed). */
  Type.Object({ type: Type.Literal('resubscribe'), sid: Type.String() }),
  Type.Object({ type: Type.Literal('ping'), at: Type.Number() }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

/** Hub → client. */
export const HubMessage = Type.Union([
  Type.Object({ type: Type.Literal('welcome'), participant: ParticipantInfo, hearing: Type.Union([HearingInfo, Type.Null()]) }),
  Type.Object({ type: Type.Literal('publish-answer'), sdp: Sdp }),
  /** The hub offers another participant's media (recvonly on the client side). */
  Type.Object({ type: Type.Literal('subscribe-offer'), sid: Type.String(), publisher: ParticipantInfo, sdp: Sdp }),
  /** That publisher left: close the subscribe connection. */
  Type.Object({ type: Type.Literal('unsubscribe'), sid: Type.String() }),
  /** The participant's hearing changed (joined, someone came or went, ended = null). */
  Type.Object({ type: Type.Literal('hearing'), hearing: Type.Union([HearingInfo, Type.Null()]) }),
  /** A subscriber needs a keyframe of this participant's video (rooms forward it to the encoder). */
  Type.Object({ type: Type.Literal('keyframe-request') }),
  Type.Object({ type: Type.Literal('pong'), at: Type.Number() }),
  /** STUN/TURN servers for this participant's connections (short-lived TURN credentials, hub/turn): before `welcome`, renewed while connected. */
  Type.Object({ type: Type.Literal('ice-servers'), ...IceServers.properties }),
  /** A refused message; the connection stays open unless `fatal`. */
  Type.Object({ type: Type.Literal('error'), code: Type.String(), message: Type.String(), fatal: Type.Optional(Type.Boolean()) }),
]);
export type HubMessage = Static<typeof HubMessage>;
