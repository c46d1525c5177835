// Congestion control of the room's live video (issue 12 item 2), pure: no I/O, no timers.
//
// The hub's publish leg answers every video packet with transport-wide feedback (TWCC, werift's
// ReceiverTWCC): which packets arrived and when. From it `LinkEstimator` derives, over the last second,
// the rate the hub received, the queueing delay (the newest packets' least one-way delay above its 30 s
// minimum: a tbf or a router queue filling, not jitter) and the loss. `RateController` turns that into the live picture the worker sends:
//   full     the on-air picture as it is (the camera's ~2.3 Mbit/s passthrough)
//   adapted  re-encoded at `kbps` (640x360, daemon/drivers/media/live-rate.ts)
// full → adapted when the link is congested (a standing queue, or loss with much less received than sent)
// at 0.8 × the rate that got through; adapted: AIMD (−15 % on congestion, +5 % per tick when the queue is
// short and what was sent got through, +10 % with no queue at all); adapted → full after the
// target sat at its maximum for `probeAfterMs` — if the camera's picture does not fit, congestion sends it
// back at once and the next try waits twice as long (up to `maxProbeBackoffMs`).

export interface FeedbackPacket {
  /** Bytes sent (SRTP packet). */
  size: number;
  sentAtMs: number;
  /** The hub's receive time (its clock), null when the feedback reports the packet lost. */
  receivedAtMs: number | null;
}

export interface LinkSample {
  /** Video kbit/s the hub received over the last second. */
  recvKbps: number;
  /** Video kbit/s sent over the last second (packets the feedback covered). */
  sendKbps: number;
  /** ms above the minimum one-way delay seen in the last 30 s. */
  queueMs: number;
  /** Lost / reported over the last second, 0..1. */
  loss: number;
  /** Packets reported over the last second (few: the sample says little). */
  packets: number;
}

const WINDOW_MS = 1000;
const BASE_MS = 30_000;
const TIME_BASE_JUMP_MS = 60_000;
const REBASE_MIN_MS = 50;
const REBASE_AFTER_MS = 3000;

export class LinkEstimator {
  private recent: (FeedbackPacket & { at: number })[] = [];
  private base: { at: number; owd: number }[] = [];
  private receiverStallUntil = Number.NEGATIVE_INFINITY;
  private elevatedSince: number | null = null;

  add(packets: FeedbackPacket[], nowMs: number): void {
    if (receiverStalled(packets)) this.receiverStallUntil = nowMs + WINDOW_MS;
    for (const p of packets) {
      this.recent.push({ ...p, at: nowMs });
      if (p.receivedAtMs === null) continue;
      const owd = p.receivedAtMs - p.sentAtMs;
      // No queue holds a packet for a minute: the hub's time base moved (a new connection, a clock step, a
      // TWCC wrap misread — seen: a 700 759 306 ms "queue" in the chaos run). Start the baseline afresh
      // rather than cut the picture on it.
      const min = this.base[0]?.owd;
      if (min !== undefined && Math.abs(owd - min) > TIME_BASE_JUMP_MS) {
        this.base = [];
        this.recent = []; // kept lost ones alone would read as 100 % loss
      }
      // Monotone deque of minima: the 30 s minimum in O(1).
      while (this.base.length && this.base[this.base.length - 1]!.owd >= owd) this.base.pop();
      this.base.push({ at: nowMs, owd });
    }
    this.prune(nowMs);
  }

  private prune(nowMs: number) {
    while (this.recent.length && this.recent[0]!.at < nowMs - WINDOW_MS) this.recent.shift();
    while (this.base.length > 1 && this.base[0]!.at < nowMs - BASE_MS) this.base.shift();
  }

  sample(nowMs: number): LinkSample {
    this.prune(nowMs);
    const got = this.recent.filter((p) => p.receivedAtMs !== null);
    const bits = (xs: FeedbackPacket[]) => xs.reduce((s, p) => s + p.size * 8, 0);
    const span = (xs: number[]) => (xs.length > 1 ? Math.max(...xs) - Math.min(...xs) : 0);
    // Rates over the packets' own spans (at least 200 ms, so one burst is not taken for a fast link).
    const recvSpan = Math.max(200, span(got.map((p) => p.receivedAtMs!)));
    const sendSpan = Math.max(200, span(this.recent.map((p) => p.sentAtMs)));
    const minOwd = this.base[0]?.owd;
    // The queue now: the least one-way delay of the newest quarter (LEDBAT's current-delay filter, RFC 6817
    // §3.4.2). A standing queue delays every packet; jitter delays some — and a path that delivers in order
    // turns ±50 ms of jitter into most packets 80–100 ms above the minimum (chaos delay-200: the mean read as
    // congestion and cut the picture to 11 fps on a link with room to spare).
    const last = got.slice(-Math.max(1, Math.ceil(got.length / 4)));
    const nowOwd = last.length ? Math.min(...last.map((p) => p.receivedAtMs! - p.sentAtMs)) : undefined;
    let queueMs = minOwd === undefined || nowOwd === undefined ? 0 : nowOwd - minOwd;
    const recvKbps = bits(got) / recvSpan;
    const sendKbps = bits(this.recent) / sendSpan;
    const loss = this.recent.length ? 1 - got.length / this.recent.length : 0;
    // A longer path is no queue: a queue that stands while everything sent arrives, at the rate sent, without
    // loss, for REBASE_AFTER_MS is the route's delay (a route change; chaos delay-200 added 200 ms mid-hearing and
    // the picture stayed cut for the 30 s the old minimum was remembered). The baseline moves to it. A real
    // bottleneck delivers less than it is sent, or drops: never taken for a path.
    const pathLike = queueMs > REBASE_MIN_MS && recvKbps >= 0.9 * sendKbps && loss < 0.02 && this.recent.length >= 20;
    if (!pathLike) this.elevatedSince = null;
    else if ((this.elevatedSince ??= nowMs) <= nowMs - REBASE_AFTER_MS && nowOwd !== undefined) {
      this.base = [{ at: nowMs, owd: nowOwd }];
      this.elevatedSince = null;
      queueMs = 0;
    }
    return {
      recvKbps,
      sendKbps,
      queueMs: nowMs < this.receiverStallUntil ? 0 : Math.max(0, queueMs),
      loss,
      packets: this.recent.length,
    };
  }
}

/**
 * The hub's event loop was held up (a loaded box: 0.5–2 s seen): packets sent over ≥ 300 ms were all stamped
 * within a quarter of that time. No link delivers faster than it was fed for that long; a late reader does.
 */
function receiverStalled(packets: FeedbackPacket[]): boolean {
  const got = packets.filter((p) => p.receivedAtMs !== null);
  if (got.length < 10) return false;
  const sent = got.map((p) => p.sentAtMs);
  const recv = got.map((p) => p.receivedAtMs!);
  const sentSpan = Math.max(...sent) - Math.min(...sent);
  return sentSpan >= 300 && Math.max(...recv) - Math.min(...recv) < sentSpan / 4;
}

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
