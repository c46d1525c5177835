// When is a connected publish connection dead? The hub's werift answers the RTP it receives with
// receiver reports (every ~1 s); if our RTP flows out and nothing comes back for `limitMs`, the path
// is gone long before werift's 30 s consent timeout. No RTP going out (the daemon or its media
// worker restarting) is no evidence: the hub reports only on what it receives.

const MEDIA_GAP_MS = 1000;

export class RtcpSilence {
  private lastRtcpAt = 0;
  private lastPacketAt = 0;

  constructor(
    readonly limitMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The connection (re)connected, or RTCP arrived: the silence clock restarts. */
  heard(): void {
    this.lastRtcpAt = this.now();
  }

  packetSent(): void {
    const t = this.now();
    // Media starting again after a gap: the hub's reports follow it, count the silence from here.
    if (t - this.lastPacketAt > MEDIA_GAP_MS) this.lastRtcpAt = Math.max(this.lastRtcpAt, t);
    this.lastPacketAt = t;
  }

  /** True once per silence period: our media flows out, yet nothing came back for `limitMs`. */
  silent(): boolean {
    const t = this.now();
    if (t - this.lastPacketAt > MEDIA_GAP_MS || t - this.lastRtcpAt <= this.limitMs) return false;
    this.lastRtcpAt = t;
    return true;
  }
}
