// What a decoder at the viewer could show, from the H.264 RTP packets alone (no decoding: the 2-core box
// cannot afford a decoder per scenario). A frame counts as decoded when every packet from the previous
// frame's marker to its own marker arrived (late retransmissions within HOLD_MS are waited for) and the
// reference chain is whole: after a broken frame nothing counts until the next IDR, as a decoder that
// conceals nothing would show. Pure: the caller passes arrival times.

export const HOLD_MS = 400;

interface Pkt {
  ts: number;
  marker: boolean;
  idr: boolean;
  fuContinuation: boolean;
  at: number;
}

/** NAL unit types in an H.264 RTP payload (RFC 6184: single NAL, STAP-A 24, FU-A 28). */
export function nalTypes(payload: Buffer): { types: number[]; fuStart: boolean; fuContinuation: boolean } {
  if (payload.length < 1) return { types: [], fuStart: false, fuContinuation: false };
  const t = payload[0]! & 0x1f;
  if (t === 28 && payload.length > 1)
    return { types: [payload[1]! & 0x1f], fuStart: (payload[1]! & 0x80) !== 0, fuContinuation: (payload[1]! & 0x80) === 0 };
  if (t === 24) {
    const types: number[] = [];
    for (let i = 1; i + 2 < payload.length; ) {
      const size = payload.readUInt16BE(i);
      types.push(payload[i + 2]! & 0x1f);
      i += 2 + size;
    }
    return { types, fuStart: false, fuContinuation: false };
  }
  return { types: [t], fuStart: false, fuContinuation: false };
}

export function createFrameCounter() {
  const pkts = new Map<number, Pkt>();
  let cursor: number | null = null; // extended seq where the next frame starts
  let highest = -1;
  let chainOk = false;
  const out = { decoded: 0, broken: 0, lostPackets: 0 };

  const extend = (seq16: number) => {
    if (highest < 0) return seq16;
    const base = highest & ~0xffff;
    let c = base + seq16;
    if (c < highest - 0x8000) c += 0x10000;
    else if (c > highest + 0x8000) c -= 0x10000;
    return c;
  };
  /** Has seq `s` (missing) been given up on: a later packet arrived more than HOLD_MS ago. */
  const givenUp = (s: number, now: number) => {
    for (let k = s + 1; k <= highest; k++) {
      const p = pkts.get(k);
      if (p) return now - p.at > HOLD_MS;
    }
    return false;
  };

  return {
    stats: out,
    push(seq16: number, ts: number, marker: boolean, payload: Buffer, at: number) {
      const seq = extend(seq16);
      if (cursor !== null && seq < cursor) return; // too late: already given up
      const n = nalTypes(payload);
      pkts.set(seq, { ts, marker, idr: n.types.includes(5), fuContinuation: n.fuContinuation, at });
      if (seq > highest) highest = seq;
      if (cursor === null) cursor = seq; // the first packet seen starts the count (chain broken until an IDR)
    },
    /** Advances over every frame that can be judged at `now`; returns frames decoded by this call. */
    advance(now: number): number {
      let got = 0;
      while (cursor !== null && cursor <= highest) {
        const first = pkts.get(cursor);
        if (!first) {
          if (!givenUp(cursor, now)) break;
          out.lostPackets++;
          chainOk = false;
          cursor++;
          continue;
        }
        // a frame from cursor to its marker; one that starts in the middle of a fragmented NAL lost its head
        let k = cursor;
        let complete = !first.fuContinuation;
        let idr = false;
        let waiting = false;
        for (;;) {
          const p = pkts.get(k);
          if (!p) {
            if (k > highest || !givenUp(k, now)) {
              waiting = true;
              break;
            }
            complete = false;
            out.lostPackets++;
            k++;
            continue;
          }
          if (p.ts !== first.ts) {
            complete = false; // the marker packet was lost
            break;
          }
          idr ||= p.idr;
          k++;
          if (p.marker) break;
        }
        if (waiting) break;
        if (complete && (idr || chainOk)) {
          chainOk = true;
          out.decoded++;
          got++;
        } else {
          chainOk = false;
          out.broken++;
        }
        for (let s = cursor; s < k; s++) pkts.delete(s);
        cursor = k;
      }
      return got;
    },
  };
}
