import { encodeTwcc } from '../../common/webrtc/twcc.js';

// The hub's transport-wide feedback to a publishing room (issue 12 item 2), in place of werift's ReceiverTWCC
// (which never reports a loss: common/webrtc/twcc.ts). werift's RTP receiver calls `handleTWCC(seq)` on every
// video packet as it arrives; every `everyMs` the packets since the last report go back — received with their
// arrival time, missing ones as not received — so the room sees what its link drops, not only what it delays.

/** How long a missing packet may still arrive (reordered by jitter) before it is reported lost. */
const REORDER_HOLD_MS = 100;

/** The clock the arrivals are stamped with: monotonic, near the wall clock (the room maps it into its own ms). */
const nowMs = () => performance.timeOrigin + performance.now();

export interface TwccReporterDeps {
  /** Sends one serialized RTCP packet (werift's dtlsTransport.sendRtcp). */
  send: (rtcp: Buffer) => void;
  senderSsrc: number;
  /** The room's video SSRC (undefined until its first packet). */
  mediaSsrc: () => number | undefined;
  everyMs?: number;
  now?: () => number;
}

export class TwccReporter {
  private arrivals = new Map<number, number>();
  /** The first sequence number not yet reported (null before the first packet). */
  private next: number | null = null;
  private fbCount = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  twccRunning = true; // werift's receiver sets this to false when it stops

  constructor(private readonly deps: TwccReporterDeps) {
    this.now = deps.now ?? nowMs;
    this.timer = setInterval(() => (this.twccRunning ? this.flush() : clearInterval(this.timer)), deps.everyMs ?? 100);
    this.timer.unref();
  }

  /** werift's hook: a video packet with this transport-wide sequence number arrived now. */
  handleTWCC(seq: number): void {
    seq &= 0xffff;
    if (this.next === null) this.next = seq;
    if (((seq - this.next) & 0xffff) >= 0x8000) {
      // Behind the first unreported one: before any report, the first packets came reordered — start from it;
      // after one, it was already reported (a late packet or a retransmission): too late to tell.
      if (this.fbCount > 0) return;
      this.next = seq;
    }
    this.arrivals.set(seq, this.now());
    if (this.arrivals.size >= 200) this.flush();
  }

  /**
   * Reports every packet from `next` to the newest arrival at least REORDER_HOLD_MS old: a path with jitter
   * reorders packets (200 ± 50 ms of delay, packets 5 ms apart: most of them), and one reported missing before it
   * came would count as lost for good — chaos delay-200 read 25–38 % loss on a link that lost nothing.
   */
  flush(): void {
    const mediaSsrc = this.deps.mediaSsrc();
    if (this.next === null || this.arrivals.size === 0 || mediaSsrc === undefined) return;
    const settled = this.now() - REORDER_HOLD_MS;
    const ahead = (seq: number) => (seq - this.next!) & 0xffff;
    let last: number | null = null;
    for (const [seq, at] of this.arrivals) if (at <= settled && (last === null || ahead(seq) > ahead(last))) last = seq;
    if (last === null) return;
    const count = ((last - this.next) & 0xffff) + 1;
    if (count > 8192) {
      // Not a queue or a loss burst: the sender's numbering jumped. Start again from the newest.
      this.next = (last + 1) & 0xffff;
      this.arrivals.clear();
      return;
    }
    const arrivalsMs: (number | null)[] = [];
    for (let i = 0; i < count; i++) {
      const seq = (this.next + i) & 0xffff;
      arrivalsMs.push(this.arrivals.get(seq) ?? null);
      this.arrivals.delete(seq);
    }
    const rtcp = encodeTwcc({ senderSsrc: this.deps.senderSsrc, mediaSsrc, baseSeq: this.next, fbCount: this.fbCount++, arrivalsMs });
    this.next = (last + 1) & 0xffff;
    this.deps.send(rtcp);
  }

  stop(): void {
    this.twccRunning = false;
    clearInterval(this.timer);
  }
}
