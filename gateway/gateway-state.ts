import { EventEmitter } from 'node:events';
import { Type, type Static } from '@sinclair/typebox';
import { HearingInfo, ParticipantInfo } from '../common/contracts/signaling/messages.js';

// The link to the hub, as the room and its monitors see it (convention 6: states from an `as const` array).
export const GATEWAY_STATES = ['connecting', 'connected', 'reconnecting', 'failed'] as const;
export type GatewayState = (typeof GATEWAY_STATES)[number];

export const RemoteParticipantSchema = Type.Object({
  sid: Type.String(),
  participant: ParticipantInfo,
  packetsReceived: Type.Integer(),
  connection: Type.String({ description: 'werift connection state of the subscribe connection' }),
});
export type RemoteParticipant = Static<typeof RemoteParticipantSchema>;

export const GatewayStateSchema = Type.Object({
  state: Type.Union(GATEWAY_STATES.map((s) => Type.Literal(s))),
  since: Type.String({ description: 'ISO time of the last state change' }),
  reason: Type.Optional(Type.String({ description: 'why the link is not connected' })),
  rttMs: Type.Optional(Type.Integer({ description: 'signaling ping round trip to the hub (ms), smoothed; only while connected' })),
  hubUrl: Type.String(),
  room: Type.String(),
  eventLoop: Type.Optional(
    Type.Object(
      { p99Ms: Type.Number(), maxMs: Type.Number() },
      { description: 'how late the gateway\'s event loop ran over the last 10 s (WebRTC consent checks fail past 500 ms)' },
    ),
  ),
  hearing: Type.Union([HearingInfo, Type.Null()]),
  remotes: Type.Array(RemoteParticipantSchema),
  counters: Type.Object({
    reconnects: Type.Integer({ description: 'signaling connections rebuilt after a failure' }),
    freshPublishConnections: Type.Integer({ description: 'publish connections rebuilt from scratch while signaling was up' }),
    packetsSent: Type.Integer({ description: 'RTP packets forwarded on the publish connection' }),
    packetsFromWorker: Type.Integer({ description: 'RTP packets received from the media worker over UDP' }),
    keyframeRequests: Type.Integer({ description: 'keyframe requests forwarded to the daemon' }),
    malformedMessages: Type.Integer(),
  }),
});
export type GatewayStatus = Static<typeof GatewayStateSchema>;
type Counters = GatewayStatus['counters'];

/** Keeps state + reason + since together and tells listeners about every change. */
export class GatewayStateTracker extends EventEmitter<{ change: [GatewayStatus['state'], string | undefined] }> {
  state: GatewayState = 'connecting';
  since = new Date().toISOString();
  reason: string | undefined;
  rttMs: number | undefined;
  readonly counters: Counters = { reconnects: 0, freshPublishConnections: 0, packetsSent: 0, packetsFromWorker: 0, keyframeRequests: 0, malformedMessages: 0 };

  set(state: GatewayState, reason?: string): void {
    if (state === this.state && reason === this.reason) return;
    if (state !== this.state) this.since = new Date().toISOString();
    if (state !== 'connected') this.rttMs = undefined;
    this.state = state;
    this.reason = state === 'connected' ? undefined : reason;
    this.emit('change', state, this.reason);
  }

  /** Smoothed like TCP's SRTT (1/4 of each new sample) so one slow pong does not flip the kiosk's wording. */
  recordRtt(ms: number): void {
    this.rttMs = Math.round(this.rttMs === undefined ? ms : this.rttMs + (ms - this.rttMs) / 4);
  }

  count(key: keyof Counters, n = 1): void {
    this.counters[key] += n;
  }
}
