import { describe, expect, it } from 'vitest';
import { startsKeyframe } from './h264-keyframe.js';
import { VideoPacer } from './pacer.js';

/** An RTP packet: H.264 payload starting with `nal` (type byte, then an FU header when type 28), `size` bytes. */
function rtp(ts: number, nal: number[], size = 1200, pt = 96): Buffer {
  const b = Buffer.alloc(size);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt32BE(ts, 4);
  Buffer.from(nal).copy(b, 12);
  return b;
}
const IDR_START = [0x7c, 0x85]; // FU-A, start bit, IDR
const P_START = [0x7c, 0x81]; // FU-A, start bit, non-IDR slice
const FU_MIDDLE = [0x7c, 0x05];

/** Virtual time: timers run in order as the clock advances. */
function clock() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    schedule: (fn: () => void, ms: number) => void timers.push({ at: now + ms, fn }),
    advance(to: number) {
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > to) break;
        timers.shift();
        now = t.at;
        t.fn();
      }
      now = to;
    },
  };
}

/** A tbf-like link: one FIFO at `kbps`, tail drop past `queueMs`. Returns when a packet sent now arrives (null: dropped). */
function link(kbps: number, queueMs = 300) {
  let free = 0;
  return (now: number, bytes: number): number | null => {
    const start = Math.max(now, free);
    if (start - now > queueMs) return null;
    free = start + (bytes * 8) / kbps;
    return free;
  };
}

/**
 * 1 Mbit/s link; the adapted picture (target 800 kbit/s, the encoder making ≈ 790) (25 fps, a 40 kB keyframe every second) and Opus every 20 ms.
 * Returns the longest time an audio packet spent on the link (or Infinity if one was dropped).
 */
function hearing(paced: boolean): { worstAudioMs: number; pacer: VideoPacer | null } {
  const c = clock();
  const wire = link(1000);
  let worstAudioMs = 0;
  const pacer = new VideoPacer({ send: (p) => wire(c.now(), p.length), now: c.now, schedule: c.schedule });
  pacer.setTarget(800); // paced at 880 kbit/s
  const sendVideo = (p: Buffer) => (paced ? pacer.push(p) : wire(c.now(), p.length));
  for (let ms = 0; ms < 5000; ms += 1) {
    c.advance(ms);
    if (ms % 40 === 0) {
      const n = ms % 1000 === 0 ? 34 : 2; // keyframe ≈ 40 kB; P frame ≈ 2.4 kB (≈ 700 kbit/s in all)
      for (let i = 0; i < n; i++) sendVideo(rtp(ms * 90, i === 0 ? (n > 2 ? IDR_START : P_START) : FU_MIDDLE));
    }
    if (ms % 20 === 0) {
      const at = wire(ms, 160);
      worstAudioMs = Math.max(worstAudioMs, at === null ? Number.POSITIVE_INFINITY : at - ms);
    }
  }
  return { worstAudioMs, pacer: paced ? pacer : null };
}

describe('VideoPacer', () => {
  it('audio is not held up behind a keyframe burst on a 1 Mbit/s link (without the pacer it waits > 200 ms)', () => {
    const unpaced = hearing(false);
    const paced = hearing(true);
    expect(unpaced.worstAudioMs).toBeGreaterThan(200);
    expect(paced.worstAudioMs).toBeLessThan(100);
    expect(paced.pacer!.stats.overflows).toBe(0);
  });

  it('a source far above the target: whole frames dropped until a keyframe, the queue bounded, a keyframe asked for', () => {
    const c = clock();
    const sent: Buffer[] = [];
    let asked = 0;
    const pacer = new VideoPacer({
      send: (p) => sent.push(p),
      onOverflow: () => asked++,
      now: c.now,
      schedule: c.schedule,
      maxQueueMs: 400,
    });
    pacer.setTarget(400); // paced at 440 kbit/s; the source sends 2.4 Mbit/s
    for (let ms = 0; ms < 4000; ms += 40) {
      c.advance(ms);
      const key = ms % 2000 === 0;
      for (let i = 0; i < 10; i++) pacer.push(rtp(ms * 90, i === 0 ? (key ? IDR_START : P_START) : FU_MIDDLE));
      expect(pacer.queueMs()).toBeLessThan(400 + (10 * 1200 * 8) / 440 + 1);
    }
    c.advance(10_000);
    expect(asked).toBeGreaterThan(0);
    expect(pacer.stats.droppedPackets).toBeGreaterThan(0);
    expect(pacer.stats.droppedPackets % 10).toBe(0); // whole frames only
    // the second keyframe got through whole
    const second = sent.filter((p) => p.readUInt32BE(4) === 2000 * 90);
    expect(second).toHaveLength(10);
  });

  it('the full picture is paced at 2.5 × the source rate: a keyframe leaves over a few frame times, not at once', () => {
    const c = clock();
    const sentAt: number[] = [];
    const pacer = new VideoPacer({ send: () => sentAt.push(c.now()), now: c.now, schedule: c.schedule });
    for (let ms = 0; ms <= 2000; ms += 40) {
      c.advance(ms);
      const n = ms === 2000 ? 40 : 8; // ≈ 2 Mbit/s, then a 48 kB keyframe
      for (let i = 0; i < n; i++) pacer.push(rtp(ms * 90, i === 0 ? (n > 8 ? IDR_START : P_START) : FU_MIDDLE));
    }
    c.advance(5000);
    const key = sentAt.slice(-40);
    const spread = key[39]! - key[0]!;
    expect(spread).toBeGreaterThan(40); // at ≈ 5 Mbit/s: ~75 ms
    expect(spread).toBeLessThan(200);
  });

  it('full picture after the event loop was held up 1 s: the backlog leaves within a few hundred ms (it is not held to the source rate) and nothing is dropped', () => {
    const c = clock();
    const sentAt: number[] = [];
    const pacer = new VideoPacer({ send: () => sentAt.push(c.now()), now: c.now, schedule: c.schedule });
    for (let ms = 0; ms < 2000; ms += 40) {
      c.advance(ms);
      for (let i = 0; i < 8; i++) pacer.push(rtp(ms * 90, i === 0 ? (ms % 1000 ? P_START : IDR_START) : FU_MIDDLE));
    }
    c.advance(2000);
    // 1 s of frames (25 × 8 packets) arrive at once, as UDP does after a stall
    for (let f = 0; f < 25; f++) for (let i = 0; i < 8; i++) pacer.push(rtp((2000 + f * 40) * 90, i === 0 ? P_START : FU_MIDDLE));
    c.advance(5000);
    expect(pacer.stats.droppedPackets).toBe(0);
    expect(sentAt.at(-1)! - 2000).toBeLessThan(400); // at 2.5 × the source rate alone: 400 ms
  });

  it("retransmissions werift sent for the hub's NACKs count against the adapted rate: video, resent and new, stays within it", () => {
    // 400 kbit/s target → paced at 440 kbit/s = 55 bytes/ms. 10 frames of 4 × 1100 bytes (every 100 ms: 352 kbit/s of
    // new video), and after each frame a NACK burst of 2 200 bytes resent (176 kbit/s): 528 kbit/s asked of a 440 link.
    const run = (chargeResent: boolean) => {
      const c = clock();
      let bytes = 0;
      let last = 0;
      const pacer = new VideoPacer({ send: (p) => ((bytes += p.length), (last = c.now())), now: c.now, schedule: c.schedule });
      pacer.setTarget(400);
      for (let f = 0; f < 10; f++) {
        c.advance(f * 100);
        for (let i = 0; i < 4; i++) pacer.push(rtp(f * 9000, i === 0 ? (f ? P_START : IDR_START) : FU_MIDDLE, 1100));
        if (chargeResent) pacer.charge(2200);
        bytes += 2200; // on the wire either way: werift sends it outside the pacer
      }
      c.advance(10_000);
      return { kbps: (bytes * 8) / last, resent: pacer.stats.resentBytes };
    };
    const uncharged = run(false);
    const charged = run(true);
    expect(uncharged.kbps).toBeGreaterThan(440); // retransmissions on top of the paced rate
    expect(charged.kbps).toBeLessThanOrEqual(440 * 1.05); // within the rate (a burst of a few packets at the start)
    expect(charged.resent).toBe(22_000);
  });
});

describe('startsKeyframe', () => {
  it('finds an IDR or SPS start: single NAL, FU-A start, STAP-A; not a P slice or an FU middle', () => {
    expect(startsKeyframe(rtp(0, [0x65]))).toBe(true); // IDR
    expect(startsKeyframe(rtp(0, [0x67]))).toBe(true); // SPS
    expect(startsKeyframe(rtp(0, IDR_START))).toBe(true);
    expect(startsKeyframe(rtp(0, [0x78, 0x00, 0x02, 0x06, 0x00, 0x00, 0x04, 0x67, 0x42, 0x00, 0x1f]))).toBe(true); // STAP-A: SEI, SPS
    expect(startsKeyframe(rtp(0, P_START))).toBe(false);
    expect(startsKeyframe(rtp(0, [0x7c, 0x45]))).toBe(false); // FU-A end of an IDR
    expect(startsKeyframe(rtp(0, [0x41]))).toBe(false);
  });
});
