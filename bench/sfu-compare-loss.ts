// Packets lost at a subscriber, from RTP sequence numbers: the span of sequence numbers seen (extended
// across the 16-bit wrap) minus the distinct packets received. A NACK retransmission that arrives fills
// its gap once (duplicates are not counted twice); an SFU that rewrites sequence numbers per subscriber
// (Janus does) keeps them continuous, so the same count works for both.

export class SeqLoss {
  private base = -1;
  private highest = -1;
  private received = 0;
  /** For each 16-bit sequence number, the extended one last counted there (duplicates are skipped). */
  private seen = new Float64Array(65536).fill(-1);

  /** One packet's 16-bit sequence number. */
  push(seq: number): void {
    if (this.highest < 0) {
      this.base = this.highest = seq;
    } else {
      const delta = (seq - (this.highest % 65536) + 65536) % 65536;
      const ext = delta < 32768 ? this.highest + delta : this.highest - (65536 - delta);
      if (ext < this.base) return; // from before we started counting
      if (ext > this.highest) this.highest = ext;
      if (this.seen[seq] === ext) return;
      this.seen[seq] = ext;
      this.received++;
      return;
    }
    this.seen[seq] = seq;
    this.received++;
  }

  /** Expected (span of sequence numbers) and distinct packets received so far. */
  snapshot(): { expected: number; received: number } {
    return { expected: this.highest < 0 ? 0 : this.highest - this.base + 1, received: this.received };
  }
}

/** Loss between two snapshots of many streams: lost packets and the fraction of the expected. */
export function lossBetween(
  before: { expected: number; received: number }[],
  after: { expected: number; received: number }[],
): { expected: number; received: number; lost: number; fraction: number } {
  let expected = 0;
  let received = 0;
  after.forEach((a, i) => {
    expected += a.expected - (before[i]?.expected ?? 0);
    received += a.received - (before[i]?.received ?? 0);
  });
  const lost = Math.max(0, expected - received);
  return { expected, received, lost, fraction: expected > 0 ? lost / expected : 0 };
}
