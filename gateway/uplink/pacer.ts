import { rtpTimestamp, startsKeyframe } from './h264-keyframe.js';

// Audio first on the room's send path (issue 12 item 2). werift sends a frame's packets back to back, so
// a keyframe burst (tens of kB) lands in the link's queue (a tbf, a router) ahead of the audio packets
// behind it, and on a capped link they wait or are dropped: audio gaps > 200 ms. Audio never enters this
// pacer (the publisher writes it at once); video leaves at a paced rate:
//   full picture    2.5 × the rate the source sends (a keyframe spread over a few frame times)
//   adapted picture 1.1 × the controller's target (below what the link carried when it adapted, link-estimator.ts)
// Adapted, when the queue would hold more than `maxQueueMs` at that rate, whole frames are dropped here (never
// the audio) until the next keyframe, which is asked for (`onOverflow`). A queued frame is never cut. Full
// picture: nothing dropped, and a backlog (the event loop held up on a loaded box) drains within 150 ms.

export interface PacerDeps {
  send: (packet: Buffer) => void;
  /** Frames were dropped: the stream needs a keyframe to be decodable again. */
  onOverflow?: () => void;
  /** Monotonic ms (tests pass their own). */
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => void;
  maxQueueMs?: number;
  /** The budget a quiet pacer may save up (ms of its rate). */
  burstMs?: number;
  fullFactor?: number;
  adaptedFactor?: number;
  minKbps?: number;
}

export class VideoPacer {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private budget = 0;
  private refilledAt: number;
  private timer = false;
  private targetKbps: number | null = null;
  private frame: { ts: number; accepted: boolean } | null = null;
  private waitingKey = false;
  private sourceBytes = 0;
  private sourceKbps = 0;
  private sourceSince: number;
  private closed = false;
  readonly stats = { sent: 0, droppedPackets: 0, overflows: 0, maxQueueMs: 0, resentBytes: 0 };
  private readonly o: Required<Omit<PacerDeps, 'send' | 'onOverflow'>>;

  constructor(private readonly deps: PacerDeps) {
    this.o = {
      now: () => performance.now(),
      schedule: (fn, ms) => void setTimeout(fn, ms),
      maxQueueMs: 400,
      burstMs: 10,
      fullFactor: 2.5,
      adaptedFactor: 1.1,
      minKbps: 300,
      ...deps,
    };
    this.refilledAt = this.sourceSince = this.o.now();
  }

  /** The controller's decision: null = full picture, else the adapted target in kbit/s. */
  setTarget(kbps: number | null): void {
    this.targetKbps = kbps;
  }

  /** The pacing rate now, kbit/s. Full picture: a backlog (the gateway's event loop held up) leaves within 150 ms. */
  rateKbps(): number {
    if (this.targetKbps === null) return Math.max(this.o.minKbps, this.o.fullFactor * this.sourceKbps, (this.queuedBytes * 8) / 150);
    return Math.max(this.o.minKbps, this.o.adaptedFactor * this.targetKbps);
  }

  /** ms the queued packets take to leave at the current rate. */
  queueMs(): number {
    return (this.queuedBytes * 8) / this.rateKbps();
  }

  push(packet: Buffer): void {
    if (this.closed || packet.length < 12) return;
    this.measureSource(packet.length);
    const ts = rtpTimestamp(packet);
    if (this.frame?.ts !== ts) this.frame = { ts, accepted: this.admitFrame(packet) };
    else if (!this.frame.accepted && startsKeyframe(packet)) this.frame.accepted = this.admitFrame(packet); // SPS after an SEI
    if (!this.frame.accepted) {
      this.stats.droppedPackets++;
      return;
    }
    this.queue.push(packet);
    this.queuedBytes += packet.length;
    this.stats.maxQueueMs = Math.max(this.stats.maxQueueMs, this.queueMs());
    this.drain();
  }

  /**
   * Bytes werift resent for the hub's NACKs (rtx-budget.ts) outside this queue: taken from the budget, so new video
   * waits for them and video, resent or new, stays within the pacing rate (issue 12: ~120 kbit/s of a 512 kbit/s
   * link went to retransmissions on top of the paced picture).
   */
  charge(bytes: number): void {
    if (this.closed) return;
    this.drain(); // the budget brought up to now first, then the resent bytes taken from it
    this.budget -= bytes;
    this.stats.resentBytes += bytes;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
  }

  /** A new frame: keep it whole, or drop it (and every frame up to the next keyframe). */
  private admitFrame(first: Buffer): boolean {
    if (startsKeyframe(first)) {
      this.waitingKey = false;
      return true;
    }
    if (this.waitingKey) return false;
    // Full picture: the link's rate is unknown (nothing says it is capped), so nothing is dropped here.
    if (this.targetKbps === null || this.queueMs() <= this.o.maxQueueMs) return true;
    this.waitingKey = true;
    this.stats.overflows++;
    this.deps.onOverflow?.();
    return false;
  }

  private measureSource(bytes: number): void {
    this.sourceBytes += bytes;
    const elapsed = this.o.now() - this.sourceSince;
    if (elapsed < 500) return;
    const kbps = (this.sourceBytes * 8) / elapsed;
    this.sourceKbps = this.sourceKbps === 0 ? kbps : 0.5 * this.sourceKbps + 0.5 * kbps;
    this.sourceBytes = 0;
    this.sourceSince += elapsed;
  }

  private readonly onTimer = (): void => {
    this.timer = false;
    this.drain();
  };

  private drain(): void {
    if (this.closed) return;
    const now = this.o.now();
    const rate = this.rateKbps(); // bits per ms
    const burst = Math.max(2 * 1500, (rate * this.o.burstMs) / 8);
    this.budget = Math.min(burst, this.budget + ((now - this.refilledAt) * rate) / 8);
    this.refilledAt = now;
    while (this.queue.length && this.budget > 0) {
      const p = this.queue.shift()!;
      this.queuedBytes -= p.length;
      this.budget -= p.length;
      this.stats.sent++;
      this.deps.send(p);
    }
    if (this.queue.length && !this.timer) {
      this.timer = true;
      this.o.schedule(this.onTimer, Math.max(1, Math.ceil((-this.budget * 8) / rate)));
    }
  }
}
