// The room's view of its link to the hub (issue 12 item 2), pure: no I/O, no timers.
//
// The hub's publish leg answers every video packet with transport-wide feedback (TWCC, common/webrtc/twcc.ts):
// which packets arrived and when. From it `LinkEstimator` derives, over the last second, the rate the hub
// received, the queueing delay (the newest packets' least one-way delay above its 30 s minimum: a tbf or a
// router queue filling, not jitter) and the loss. `RateController` (rate-controller.ts) decides from that.
// werift resends the packets the hub NACKs by itself, under their first transport-wide number, so the feedback
// never shows those bytes: the publisher tells them (`addRetransmitted`), and the rates include them — the link
// carries them too — so the encoder's share is what is left (rate-controller.ts `mediaTarget`).

export interface FeedbackPacket {
  /** Bytes sent (SRTP packet). */
  size: number;
  sentAtMs: number;
  /** The hub's receive time (its clock), null when the feedback reports the packet lost. */
  receivedAtMs: number | null;
}

export interface LinkSample {
  /** Video kbit/s the hub received over the last second (retransmissions included, at the media's delivery ratio). */
  recvKbps: number;
  /** Video kbit/s sent over the last second (packets the feedback covered, plus retransmissions). */
  sendKbps: number;
  /** Of those, kbit/s werift resent for the hub's NACKs over the last second. */
  rtxKbps: number;
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
  private resent: { bytes: number; at: number }[] = [];
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

  /** Bytes werift resent for the hub's NACKs (outside the feedback). */
  addRetransmitted(bytes: number, nowMs: number): void {
    this.resent.push({ bytes, at: nowMs });
    this.prune(nowMs);
  }

  private prune(nowMs: number) {
    while (this.resent.length && this.resent[0]!.at < nowMs - WINDOW_MS) this.resent.shift();
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
    const mediaRecv = bits(got) / recvSpan;
    const mediaSend = bits(this.recent) / sendSpan;
    const loss = this.recent.length ? 1 - got.length / this.recent.length : 0;
    // Resent packets cross the same bottleneck as new ones: taken to get through at the same ratio (their own
    // arrival is not reported apart), so recv/send — what the controller judges — is the media's.
    const rtxKbps = (this.resent.reduce((s, r) => s + r.bytes, 0) * 8) / WINDOW_MS;
    const recvKbps = mediaRecv + (mediaSend > 0 ? rtxKbps * Math.min(1, mediaRecv / mediaSend) : 0);
    const sendKbps = mediaSend + rtxKbps;
    // A longer path is no queue: a queue that stands while everything sent arrives, at the rate sent, without
    // loss, for REBASE_AFTER_MS is the route's delay (a route change; chaos delay-200 added 200 ms mid-hearing and
    // the picture stayed cut for the 30 s the old minimum was remembered). The baseline moves to it. A real
    // bottleneck delivers less than it is sent, or drops: never taken for a path.
    const pathLike = queueMs > REBASE_MIN_MS && mediaRecv >= 0.9 * mediaSend && loss < 0.02 && this.recent.length >= 20;
    if (!pathLike) this.elevatedSince = null;
    else if ((this.elevatedSince ??= nowMs) <= nowMs - REBASE_AFTER_MS && nowOwd !== undefined) {
      this.base = [{ at: nowMs, owd: nowOwd }];
      this.elevatedSince = null;
      queueMs = 0;
    }
    return {
      recvKbps,
      sendKbps,
      rtxKbps,
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
