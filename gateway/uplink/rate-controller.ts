import type { LinkSample } from './link-estimator.js';

// Congestion control of the room's live video (issue 12 item 2), pure: no I/O, no timers. `RateController` turns
// the link's samples (link-estimator.ts) into the live picture the worker sends:
//   full     the on-air picture as it is (the camera's ~2.3 Mbit/s passthrough)
//   adapted  re-encoded at `kbps` (640x360, daemon/drivers/media/live-rate.ts)
// full → adapted when the link is congested (a standing queue, or loss with much less received than sent)
// at 0.8 × the rate that got through; adapted: AIMD (−15 % on congestion, +5 % per tick when the queue is
// short and what was sent got through, +10 % with no queue at all); adapted → full after the
// target sat at its maximum for `probeAfterMs` — if the camera's picture does not fit, congestion sends it
// back at once and the next try waits twice as long (up to `maxProbeBackoffMs`).

export interface RateControllerOptions {
  minKbps?: number;
  maxKbps?: number;
  /** Queueing delay that counts as congestion (a tbf/router queue standing). */
  congestedQueueMs?: number;
  congestedLoss?: number;
  /** recv/send below this (with congestedLoss) is a bottleneck. */
  congestedRatio?: number;
  /** recv/send at least this (and a short queue): the link has room. */
  clearRatio?: number;
  /** Below both of these the link has room: the adapted rate may grow. */
  clearQueueMs?: number;
  /** Adapted at maxKbps this long without congestion: try the full picture again. */
  probeAfterMs?: number;
  maxProbeBackoffMs?: number;
}

export type LiveDecision = { mode: 'full' } | { mode: 'adapted'; kbps: number };

export class RateController {
  private mode: LiveDecision['mode'] = 'full';
  private kbps = 0;
  private holdUntil = 0;
  private atMaxSince: number | null = null;
  private fullSince = Number.NEGATIVE_INFINITY; // (0 would take a first adaptation in the first 10 s for a failed probe)
  private probeBackoffMs: number;
  private congestedTicks = 0;
  private readonly o: Required<RateControllerOptions>;

  constructor(opts: RateControllerOptions = {}) {
    this.o = {
      minKbps: 120,
      maxKbps: 1500,
      congestedQueueMs: 100, // the hub's feedback is exact to 0.25 ms since common/webrtc/twcc.ts (werift's: 64 ms steps)
      congestedLoss: 0.1,
      congestedRatio: 0.65,
      clearRatio: 0.75,
      clearQueueMs: 60,
      probeAfterMs: 8000, // was 15 s (issue 12: full quality back sooner after a loss); a failed probe doubles it
      maxProbeBackoffMs: 240_000,
      ...opts,
    };
    this.probeBackoffMs = this.o.probeAfterMs;
  }

  get decision(): LiveDecision {
    return this.mode === 'full' ? { mode: 'full' } : { mode: 'adapted', kbps: Math.round(this.kbps) };
  }

  /** One tick (every ~500 ms) with the latest sample; returns the decision (changed or not). */
  tick(s: LinkSample, nowMs: number): LiveDecision {
    if (s.packets < 5 || s.recvKbps <= 0) return this.decision; // no video or no feedback: nothing to judge
    // Loss alone is not congestion (a lossy radio link, a loaded receiver — and werift 0.25.2's TWCC shows
    // ~15 % phantom loss on a clean link, see publisher.ts): a bottleneck is what got through falling well
    // short of what was sent, or a standing queue.
    const short = s.recvKbps < this.o.congestedRatio * s.sendKbps;
    const congested = s.queueMs > this.o.congestedQueueMs || (s.loss > this.o.congestedLoss && short);
    const clear = s.queueMs < this.o.clearQueueMs && s.recvKbps >= this.o.clearRatio * s.sendKbps;
    this.congestedTicks = congested ? this.congestedTicks + 1 : 0;
    const clamp = (k: number) => Math.min(this.o.maxKbps, Math.max(this.o.minKbps, k));
    if (this.mode === 'full') {
      // Two ticks in a row: one keyframe burst is not a poor link.
      if (this.congestedTicks >= 2) {
        // A probe that failed at once: wait twice as long before the next one.
        if (nowMs - this.fullSince < 10_000) this.probeBackoffMs = Math.min(this.o.maxProbeBackoffMs, this.probeBackoffMs * 2);
        this.mode = 'adapted';
        this.kbps = clamp(0.8 * s.recvKbps);
        this.holdUntil = nowMs + 2000; // the queue the full picture left must drain first
        this.atMaxSince = null;
      } else if (nowMs - this.fullSince > 60_000) this.probeBackoffMs = this.o.probeAfterMs; // full picture held: forget failed probes
      return this.decision;
    }
    if (congested && nowMs >= this.holdUntil) {
      this.kbps = clamp(Math.min(this.kbps * 0.85, 0.9 * s.recvKbps));
      this.holdUntil = nowMs + 1000;
      this.atMaxSince = null;
    } else if (clear && nowMs >= this.holdUntil) {
      // No queue at all and everything sent got through (the loss or the cap is over): grow twice as fast.
      const roomy = s.queueMs < this.o.clearQueueMs / 3 && s.recvKbps >= 0.9 * s.sendKbps;
      this.kbps = clamp(this.kbps * (roomy ? 1.1 : 1.05));
    }
    if (this.kbps >= this.o.maxKbps && !congested) {
      this.atMaxSince ??= nowMs;
      if (nowMs - this.atMaxSince >= this.probeBackoffMs) {
        this.mode = 'full';
        this.fullSince = nowMs;
        this.congestedTicks = 0;
      }
    } else this.atMaxSince = null;
    return this.decision;
  }
}

/**
 * The encoder's share of an adapted decision: the link's rate less what werift is resending for the hub's NACKs
 * (`rtxKbps`, link-estimator.ts), so new and resent video together fit the link (issue 12: ~120 kbit/s of a
 * 512 kbit/s link went to retransmissions on top of a picture encoded for the whole link). The pacer keeps the
 * whole rate and charges the resent bytes to it (pacer.ts). Never below `minKbps` (the encoder's floor).
 */
export function mediaTarget(d: LiveDecision, rtxKbps: number, minKbps = 120): LiveDecision {
  if (d.mode === 'full' || !(rtxKbps > 0)) return d;
  return { mode: 'adapted', kbps: Math.round(Math.max(Math.min(minKbps, d.kbps), d.kbps - rtxKbps)) };
}
