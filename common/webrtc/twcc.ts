// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01), pure.
//
// Why our own: werift 0.25.2 gets it wrong at both ends — its receiver never reports a packet as lost (a
// missing one is folded into the run of received ones around it), and its sender's `packetResults` restarts
// every run-length chunk at the base sequence number, one packet too long, and skips status-vector chunks. On a
// clean link that reads as ~15 % phantom loss; on a capped link (tbf dropping most of a 2.3 Mbit/s picture)
// arrival times land on the wrong packets and the room never saw its link was full (chaos cap-512k: no
// adaptation in 45 s). The hub (hub/sfu/twcc-reporter.ts) encodes, the room (gateway/uplink/publisher.ts)
// decodes with these two functions.

/** One reported packet: its transport-wide sequence number and arrival (ms, the receiver's clock) or null = lost. */
export interface TwccResult {
  seq: number;
  arrivalMs: number | null;
}

const NOT_RECEIVED = 0;
const SMALL = 1;
const LARGE = 2;
const MAX_RUN = 0x1fff;

/**
 * The RTCP packet (PT 205, FMT 15) for packets `baseSeq`, `baseSeq+1`, … with `arrivalsMs[i]` their arrival
 * (null: not received). Arrivals must not go back by more than 8 s from one received packet to the next.
 */
export function encodeTwcc(o: {
  senderSsrc: number;
  mediaSsrc: number;
  baseSeq: number;
  fbCount: number;
  arrivalsMs: (number | null)[];
}): Buffer {
  const first = o.arrivalsMs.find((a) => a !== null);
  if (first === undefined || first === null) throw new Error('TWCC feedback needs one received packet');
  const refUnits = Math.floor(first / 64);
  const statuses: number[] = [];
  const deltas: Buffer[] = [];
  let prevUs = refUnits * 64 * 1000;
  for (const a of o.arrivalsMs) {
    if (a === null) {
      statuses.push(NOT_RECEIVED);
      continue;
    }
    const us = Math.round(a * 1000);
    const ticks = Math.round((us - prevUs) / 250);
    prevUs += ticks * 250; // deltas add up exactly, rounding errors do not accumulate
    if (ticks >= 0 && ticks <= 255) {
      statuses.push(SMALL);
      deltas.push(Buffer.from([ticks]));
    } else {
      statuses.push(LARGE);
      const b = Buffer.alloc(2);
      b.writeInt16BE(Math.max(-32768, Math.min(32767, ticks)));
      deltas.push(b);
    }
  }
  const chunks: Buffer[] = [];
  for (let i = 0; i < statuses.length; ) {
    let n = 1;
    while (i + n < statuses.length && statuses[i + n] === statuses[i] && n < MAX_RUN) n++;
    const c = Buffer.alloc(2);
    c.writeUInt16BE(((statuses[i]! & 0x3) << 13) | n); // T=0: run-length chunk
    chunks.push(c);
    i += n;
  }
  const fixed = Buffer.alloc(20);
  fixed.writeUInt32BE(o.senderSsrc >>> 0, 4);
  fixed.writeUInt32BE(o.mediaSsrc >>> 0, 8);
  fixed.writeUInt16BE(o.baseSeq & 0xffff, 12);
  fixed.writeUInt16BE(statuses.length, 14);
  fixed.writeUIntBE(refUnits & 0xffffff, 16, 3);
  fixed.writeUInt8(o.fbCount & 0xff, 19);
  let body = Buffer.concat([fixed, ...chunks, ...deltas]);
  const pad = (4 - (body.length % 4)) % 4;
  if (pad) body = Buffer.concat([body, Buffer.alloc(pad - 1), Buffer.from([pad])]);
  body[0] = 0x80 | (pad ? 0x20 : 0) | 15;
  body[1] = 205;
  body.writeUInt16BE(body.length / 4 - 1, 2);
  return body;
}

/** werift's parsed TransportWideCC (its chunk and delta parsing is right; its packetResults is not). */
export interface ParsedTwcc {
  baseSequenceNumber: number;
  packetStatusCount: number;
  referenceTime: number;
  packetChunks: ({ packetStatus: number; runLength: number } | { symbolSize: number; symbolList: number[] })[];
  recvDeltas: { delta: number }[];
}

/** Every packet the feedback covers, in order, with its arrival (ms, 24-bit reference time × 64 + deltas) or null. */
export function decodeTwcc(fb: ParsedTwcc): TwccResult[] {
  const statuses: number[] = [];
  for (const c of fb.packetChunks) {
    if (statuses.length >= fb.packetStatusCount) break;
    if ('runLength' in c) for (let i = 0; i < c.runLength; i++) statuses.push(c.packetStatus);
    else statuses.push(...c.symbolList);
  }
  statuses.length = Math.min(statuses.length, fb.packetStatusCount);
  const out: TwccResult[] = [];
  let atUs = fb.referenceTime * 64 * 1000;
  let d = 0;
  statuses.forEach((s, i) => {
    const seq = (fb.baseSequenceNumber + i) & 0xffff;
    if (s === SMALL || s === LARGE) {
      const delta = fb.recvDeltas[d++];
      if (delta === undefined) return void out.push({ seq, arrivalMs: null });
      atUs += delta.delta;
      out.push({ seq, arrivalMs: atUs / 1000 });
    } else out.push({ seq, arrivalMs: null });
  });
  return out;
}
