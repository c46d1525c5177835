import { describe, expect, it } from 'vitest';
import { createFrameCounter, HOLD_MS, nalTypes } from './frame-counter.js';

// RTP H.264 payloads: single NAL (IDR 5, slice 1), STAP-A (24) of SPS+PPS, FU-A (28) start/middle/end.
const single = (type: number) => Buffer.from([0x60 | type, 0, 0]);
const fu = (type: number, start: boolean, end: boolean) => Buffer.from([0x7c, (start ? 0x80 : 0) | (end ? 0x40 : 0) | type, 0]);
const stapA = (...types: number[]) => Buffer.concat([Buffer.from([0x78]), ...types.map((t) => Buffer.from([0, 1, 0x60 | t]))]);

/** Frames as packet lists: [payload, marker] per packet, one timestamp per frame. */
function stream(frames: { key: boolean; packets: number }[]) {
  const out: { seq: number; ts: number; marker: boolean; payload: Buffer }[] = [];
  let seq = 65530; // wraps past 65535
  frames.forEach((f, i) => {
    const ts = i * 3000;
    if (f.key) out.push({ seq: seq++ & 0xffff, ts, marker: false, payload: stapA(7, 8) });
    for (let k = 0; k < f.packets; k++) {
      const payload = f.packets === 1 ? single(f.key ? 5 : 1) : fu(f.key ? 5 : 1, k === 0, k === f.packets - 1);
      out.push({ seq: seq++ & 0xffff, ts, marker: k === f.packets - 1, payload });
    }
  });
  return out;
}

describe('nalTypes', () => {
  it('reads single NALs, STAP-A and FU-A', () => {
    expect(nalTypes(single(5)).types).toEqual([5]);
    expect(nalTypes(stapA(7, 8)).types).toEqual([7, 8]);
    expect(nalTypes(fu(5, true, false))).toEqual({ types: [5], fuStart: true, fuContinuation: false });
    expect(nalTypes(fu(1, false, true)).fuContinuation).toBe(true);
  });
});

describe('frame counter', () => {
  const frames = [
    { key: true, packets: 4 },
    ...Array.from({ length: 9 }, () => ({ key: false, packets: 3 })),
    { key: true, packets: 4 },
    { key: false, packets: 2 },
  ];

  it('counts every frame of a whole stream (across the sequence number wrap)', () => {
    const c = createFrameCounter();
    for (const p of stream(frames)) c.push(p.seq, p.ts, p.marker, p.payload, 0);
    expect(c.advance(0)).toBe(12);
    expect(c.stats).toMatchObject({ decoded: 12, broken: 0, lostPackets: 0 });
  });

  it('a lost packet breaks its frame and every frame until the next IDR', () => {
    const c = createFrameCounter();
    const s = stream(frames).filter((_, i) => i !== 9); // a packet of frame 3
    for (const p of s) c.push(p.seq, p.ts, p.marker, p.payload, 0);
    expect(c.advance(0)).toBe(2); // frames 1-2; then nothing judged: the hole is waited for
    expect(c.advance(HOLD_MS + 1)).toBe(2); // given up: frames 3-10 broken, 11 (IDR) and 12 decoded
    expect(c.stats).toMatchObject({ decoded: 4, broken: 8, lostPackets: 1 });
  });

  it('a late packet (a NACK retransmission) within the hold still completes its frame', () => {
    const c = createFrameCounter();
    const s = stream(frames);
    const late = s.splice(9, 1)[0]!;
    for (const p of s) c.push(p.seq, p.ts, p.marker, p.payload, 0);
    c.advance(100);
    c.push(late.seq, late.ts, late.marker, late.payload, 150);
    c.advance(200);
    expect(c.stats).toMatchObject({ decoded: 12, broken: 0 });
  });

  it('a viewer joining mid-stream counts nothing until an IDR', () => {
    const c = createFrameCounter();
    const s = stream(frames).slice(6); // starts inside frame 2 (not an IDR)
    for (const p of s) c.push(p.seq, p.ts, p.marker, p.payload, 0);
    c.advance(HOLD_MS + 1);
    expect(c.stats.decoded).toBe(2); // the second IDR and the frame after it
  });
});
