import { EventEmitter } from 'node:events';
import type { GatewayState, GatewayStatus } from '../common/contracts/gateway-state.js';

// The link to the hub, as the room and its monitors see it: GET /state (common/contracts/gateway-state.ts,
// the one definition the daemon's gateway-link reads too; convention 6: states from an `as const` array).
type Counters = GatewayStatus['counters'];

/** Keeps state + reason + since together and tells listeners about every change. */
export class GatewayStateTracker extends EventEmitter<{ change: [GatewayStatus['state'], string | undefined] }> {
  state: GatewayState = 'connecting';
  since = new Date().toISOString();
  reason: string | undefined;
  rttMs: number | undefined;
  readonly counters: Counters = {
    reconnects: 0,
    freshPublishConnections: 0,
    packetsSent: 0,
    packetsFromWorker: 0,
    keyframeRequests: 0,
    malformedMessages: 0,
  };

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
