// Which of the hub's NACKs the room answers (issue 12: poor links). werift answers every NACK itself, straight
// from its history, outside our pacer and outside the estimate: in a 512 kbit/s chaos run the retransmissions took
// ~230 kbit/s of the link (1.3 MB in 45 s), queued ahead of audio in the bottleneck and made a 288 ms audio gap.
// Here a retransmission is sent only if its packet is still worth having (sent less than `maxAgeMs` ago: later,
// the frame is past and a keyframe request serves better) and within a budget of `share` × a rate — the live
// picture's target when adapted, what the hub last received on the full picture (at the onset of a cap the full
// picture's losses were all NACKed: 1.3 MB resent in 2 s before the controller adapted) — a token bucket holding
// `burstMs` of it. No rate known yet: not limited.
// `RtxBudget` is pure: no I/O, no timers.
import { GenericNack, type RTCRtpSender, RtcpTransportLayerFeedback } from 'werift';

const RING = 2048; // ≥ werift's RTP history (RTP_HISTORY_SIZE 128): every packet it could still resend

export class RtxBudget {
  private readonly sent: ({ seq: number; bytes: number; at: number } | undefined)[] = new Array(RING);
  private tokens = 0;
  private lastAt: number | null = null;
  readonly stats = { asked: 0, allowed: 0, stale: 0, overBudget: 0 };

  constructor(private readonly o: { maxAgeMs?: number; share?: number; burstMs?: number } = {}) {}

  /** A video packet left with werift's outgoing sequence number `seq`. */
  record(seq: number, bytes: number, nowMs: number): void {
    this.sent[seq % RING] = { seq, bytes, at: nowMs };
  }

  /** Bytes of the packet sent with `seq` (0 if not held): what its retransmission costs the link. */
  sizeOf(seq: number): number {
    const p = this.sent[seq % RING];
    return p && p.seq === seq ? p.bytes : 0;
  }

  /** The NACKed sequence numbers to retransmit now; `rateKbps` null = no rate known (no limit). */
  allow(lost: number[], nowMs: number, rateKbps: number | null): number[] {
    const maxAge = this.o.maxAgeMs ?? 1000;
    const bytesPerMs = rateKbps === null ? Number.POSITIVE_INFINITY : ((this.o.share ?? 0.2) * rateKbps) / 8;
    const cap = bytesPerMs * (this.o.burstMs ?? 250);
    this.tokens = Math.min(cap, this.tokens + (this.lastAt === null ? cap : (nowMs - this.lastAt) * bytesPerMs));
    this.lastAt = nowMs;
    const out: number[] = [];
    for (const seq of lost) {
      this.stats.asked++;
      const p = this.sent[seq % RING];
      if (!p || p.seq !== seq || nowMs - p.at > maxAge) {
        this.stats.stale++;
        continue;
      }
      if (p.bytes > this.tokens) {
        this.stats.overBudget++;
        continue;
      }
      this.tokens -= p.bytes;
      this.stats.allowed++;
      out.push(seq);
    }
    return out;
  }
}

/**
 * Puts `budget` between werift's video sender and the hub's NACKs: werift's RTCP router calls the sender's
 * `handleRtcpPacket`, which resends every NACKed packet it still holds; the NACK's list is cut to what the
 * budget allows first (the rest of the RTCP — TWCC, PLI — goes through untouched).
 */
export function limitRetransmissions(
  sender: RTCRtpSender,
  budget: RtxBudget,
  rateKbps: () => number | null,
  /** The bytes werift is about to resend (the pacer charges them to new video: pacer.ts `charge`). */
  onResend?: (bytes: number) => void,
): void {
  const handle = sender.handleRtcpPacket.bind(sender);
  sender.handleRtcpPacket = (packet) => {
    if (!(packet instanceof RtcpTransportLayerFeedback && packet.feedback instanceof GenericNack)) return handle(packet);
    packet.feedback.lost = budget.allow(packet.feedback.lost, Date.now(), rateKbps());
    const before = resentCounters(sender);
    handle(packet); // werift counts each resend synchronously, before its first await (rtpSender.js, GenericNack)
    const after = resentCounters(sender);
    // What werift really resent (it holds only its last 128 packets): its own counters; our sizes if it has none.
    const bytes = after && before ? after.bytes - before.bytes : packet.feedback.lost.reduce((sum, seq) => sum + budget.sizeOf(seq), 0);
    if (bytes > 0) onResend?.(bytes);
  };
}

const SRTP_TAG = 10; // AES-CM HMAC-SHA1-80: the bytes SRTP adds to every packet

/** werift's own tally of resent packets (private in its types): payload + RTP header + SRTP tag, bytes on the wire. */
function resentCounters(sender: RTCRtpSender): { bytes: number } | null {
  const c = sender as unknown as { retransmittedBytesSent?: number; retransmittedPacketsSent?: number; headerBytesSent?: number };
  if (typeof c.retransmittedBytesSent !== 'number' || typeof c.headerBytesSent !== 'number') return null;
  // headerBytesSent also grows with new packets, but none is sent inside the synchronous NACK handling.
  return { bytes: c.retransmittedBytesSent + c.headerBytesSent + (c.retransmittedPacketsSent ?? 0) * SRTP_TAG };
}
