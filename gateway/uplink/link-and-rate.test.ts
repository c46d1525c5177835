import { describe, expect, it } from 'vitest';
import { LinkEstimator, type FeedbackPacket, type LinkSample } from './link-estimator.js';
import { RateController } from './rate-controller.js';

/** Packets of `size` bytes sent at `sendKbps` for `ms`, through a link of `linkKbps` with a FIFO queue of `queueMs` (then drops). */
function throughLink(o: {
  sendKbps: number;
  linkKbps: number;
  ms: number;
  size?: number;
  queueMs?: number;
  t0?: number;
}): FeedbackPacket[] {
  const size = o.size ?? 1000;
  const gap = (size * 8) / o.sendKbps; // ms between packets
  const service = (size * 8) / o.linkKbps;
  const out: FeedbackPacket[] = [];
  let free = o.t0 ?? 0; // when the link is free again
  for (let t = o.t0 ?? 0; t < (o.t0 ?? 0) + o.ms; t += gap) {
    const start = Math.max(t, free);
    if (start - t > (o.queueMs ?? 300)) out.push({ size, sentAtMs: t, receivedAtMs: null });
    else {
      free = start + service;
      out.push({ size, sentAtMs: t, receivedAtMs: free + 5 });
    }
  }
  return out;
}

describe('LinkEstimator', () => {
  it('a hub held up (every packet of 600 ms stamped at once) is no queue; a link queue growing as long is', () => {
    const stalled = new LinkEstimator();
    const queued = new LinkEstimator();
    for (let t = 0; t < 1000; t += 20) {
      stalled.add([{ size: 1000, sentAtMs: t, receivedAtMs: t + 30 }], t + 30);
      queued.add([{ size: 1000, sentAtMs: t, receivedAtMs: t + 30 }], t + 30);
    }
    const batch = (arrive: (t: number) => number) => {
      const out: FeedbackPacket[] = [];
      for (let t = 1000; t < 1600; t += 20) out.push({ size: 1000, sentAtMs: t, receivedAtMs: arrive(t) });
      return out;
    };
    stalled.add(
      batch((t) => 2400 + (t - 1000) / 100),
      2450,
    ); // the hub read 600 ms of packets within 6 ms
    queued.add(
      batch((t) => t + 30 + (t - 1000) / 2),
      2450,
    ); // a queue growing to 300 ms
    expect(stalled.sample(2450).queueMs).toBe(0);
    expect(queued.sample(2450).queueMs).toBeGreaterThan(150);
  });

  it('a jump of the hub time base (a new connection, a clock step, a misread wrap) is no queue: the baseline starts afresh', () => {
    const e = new LinkEstimator();
    const ok = (t: number, owd: number) => ({ size: 1000, sentAtMs: t, receivedAtMs: t + owd });
    for (let t = 0; t < 1000; t += 20) e.add([ok(t, 30)], t + 30);
    expect(e.sample(1030).queueMs).toBeLessThan(5);
    for (let t = 1000; t < 2000; t += 20) e.add([ok(t, 30 + 700_759_306)], t + 30);
    const s = e.sample(2030);
    expect(s.queueMs).toBeLessThan(5);
    expect(s.recvKbps).toBeGreaterThan(300);
  });

  it('measures what a capped link delivers, its standing queue and its loss', () => {
    const e = new LinkEstimator();
    const pkts = throughLink({ sendKbps: 2300, linkKbps: 1000, ms: 3000 });
    // fed as feedback arrives: every 100 ms the packets sent in that slice
    for (let t = 0; t < 3000; t += 100)
      e.add(
        pkts.filter((p) => p.sentAtMs >= t && p.sentAtMs < t + 100),
        t + 100,
      );
    const s = e.sample(3000);
    expect(s.recvKbps).toBeGreaterThan(850);
    expect(s.recvKbps).toBeLessThan(1150);
    expect(s.loss).toBeGreaterThan(0.3);
    expect(s.queueMs).toBeGreaterThan(150);
  });

  it('200 ± 50 ms of jitter on a path that keeps order is no queue; a standing queue on top of it still is', () => {
    // The chaos relay's delay: each packet 150–250 ms (seeded), released in order — a packet never overtakes
    // the one before, so most arrive well above the path's minimum.
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const jittered = (extraMs: (t: number) => number) => {
      let prev = 0;
      return Array.from({ length: 600 }, (_, i) => {
        const sentAtMs = i * 5; // 1.6 Mbit/s of 1000-byte packets for 3 s, well under the link
        const receivedAtMs = Math.max(prev, sentAtMs + 150 + 100 * rnd() + extraMs(sentAtMs));
        prev = receivedAtMs;
        return { size: 1000, sentAtMs, receivedAtMs };
      });
    };
    const measure = (pkts: FeedbackPacket[]) => {
      const e = new LinkEstimator();
      for (let t = 0; t < 3000; t += 100)
        e.add(
          pkts.filter((p) => p.sentAtMs >= t && p.sentAtMs < t + 100),
          t + 400,
        );
      return e.sample(3400).queueMs;
    };
    expect(measure(jittered(() => 0))).toBeLessThan(60); // the mean of the newest quarter read ~100 ms here
    expect(measure(jittered((t) => (t > 1500 ? 200 : 0)))).toBeGreaterThan(150); // a queue of 200 ms from 1.5 s on
  });

  it('a route 200 ms longer is a queue for 3 s at most, then the new baseline; a capped link stays a queue', () => {
    const e = new LinkEstimator();
    const at = (t: number) => {
      const pkts = Array.from({ length: 20 }, (_, i) => ({
        size: 1000,
        sentAtMs: t + i * 5,
        receivedAtMs: t + i * 5 + (t >= 2000 ? 210 : 10),
      }));
      e.add(pkts, t + 100 + (t >= 2000 ? 200 : 0));
      return e.sample(t + 100 + (t >= 2000 ? 200 : 0)).queueMs;
    };
    const q: number[] = [];
    for (let t = 0; t < 10_000; t += 100) q.push(at(t));
    expect(q[25]).toBeGreaterThan(150); // the step itself reads as a queue at first
    expect(Math.max(...q.slice(60))).toBeLessThan(10); // 4 s later: the path, not a queue (the old baseline was kept 30 s)
    const capped = new LinkEstimator();
    const pkts = throughLink({ sendKbps: 2000, linkKbps: 1000, ms: 8000 });
    for (let t = 0; t < 8000; t += 100)
      capped.add(
        pkts.filter((p) => p.sentAtMs >= t && p.sentAtMs < t + 100),
        t + 100,
      );
    expect(capped.sample(8000).queueMs).toBeGreaterThan(150);
  });

  it('sees no queue and no loss below the cap', () => {
    const e = new LinkEstimator();
    const pkts = throughLink({ sendKbps: 600, linkKbps: 1000, ms: 3000 });
    for (let t = 0; t < 3000; t += 100)
      e.add(
        pkts.filter((p) => p.sentAtMs >= t && p.sentAtMs < t + 100),
        t + 100,
      );
    const s = e.sample(3000);
    expect(s.loss).toBe(0);
    expect(s.queueMs).toBeLessThan(10);
    expect(s.recvKbps).toBeGreaterThan(500);
    expect(s.recvKbps).toBeLessThan(700);
  });
});

const sample = (s: Partial<LinkSample>): LinkSample => ({ recvKbps: 0, sendKbps: 0, rtxKbps: 0, queueMs: 0, loss: 0, packets: 100, ...s });

describe('RateController', () => {
  it('keeps the full picture on a clear link, and on a single congested tick (a keyframe burst)', () => {
    const c = new RateController();
    expect(c.tick(sample({ recvKbps: 2300, sendKbps: 2300 }), 0)).toEqual({ mode: 'full' });
    expect(c.tick(sample({ recvKbps: 2300, queueMs: 200 }), 500)).toEqual({ mode: 'full' });
    expect(c.tick(sample({ recvKbps: 2300 }), 1000)).toEqual({ mode: 'full' });
  });

  it('adapts to 0.8 × what got through when the link is congested, then settles under the cap', () => {
    const c = new RateController();
    c.tick(sample({ recvKbps: 940, sendKbps: 2300, loss: 0.5, queueMs: 290 }), 0);
    const d = c.tick(sample({ recvKbps: 940, sendKbps: 2300, loss: 0.5, queueMs: 290 }), 500);
    expect(d).toEqual({ mode: 'adapted', kbps: 752 });
    // a link of 900 kbit/s for video: AIMD around it, never far above
    const rates: number[] = [];
    let now = 500;
    for (let i = 0; i < 120; i++) {
      now += 500;
      const cur = c.decision.mode === 'adapted' ? c.decision.kbps : 2300;
      const over = cur > 900;
      c.tick(sample({ recvKbps: Math.min(cur, 900), sendKbps: cur, queueMs: over ? 200 : 5, loss: over ? 0.1 : 0 }), now);
      rates.push(c.decision.mode === 'adapted' ? c.decision.kbps : 2300);
    }
    const last = rates.slice(-40);
    expect(Math.max(...last)).toBeLessThan(1000);
    expect(Math.min(...last)).toBeGreaterThan(600);
  });

  it('never goes below minKbps however poor the link', () => {
    const c = new RateController({ minKbps: 120 });
    for (let t = 0; t < 20_000; t += 500) c.tick(sample({ recvKbps: 30, loss: 0.6, queueMs: 400 }), t);
    expect(c.decision).toEqual({ mode: 'adapted', kbps: 120 });
  });

  it('tries the full picture again once the adapted rate sat at its maximum, and backs off when that fails at once', () => {
    const c = new RateController({ maxKbps: 1500, probeAfterMs: 10_000 });
    let now = 0;
    const congested = () => c.tick(sample({ recvKbps: 1600, loss: 0.2, queueMs: 250 }), (now += 500));
    const clear = () => c.tick(sample({ recvKbps: 1500 }), (now += 500));
    congested();
    congested();
    expect(c.decision.mode).toBe('adapted');
    let firstFull = 0;
    while (c.decision.mode === 'adapted' && now < 120_000) clear();
    firstFull = now;
    expect(c.decision.mode).toBe('full');
    expect(firstFull).toBeLessThan(40_000);
    // the full picture does not fit: back to adapted at once, and the next probe waits longer
    congested();
    congested();
    expect(c.decision.mode).toBe('adapted');
    const back = now;
    while (c.decision.mode === 'adapted' && now < 300_000) clear();
    expect(now - back).toBeGreaterThan(firstFull + 5_000);
  });

  it('after a loss or a cap ends, the full picture is back within 25 s on a clean link (was ~32 s: +5 %/tick, 15 s at the ceiling)', () => {
    const c = new RateController();
    c.tick(sample({ recvKbps: 400, sendKbps: 2300, loss: 0.5, queueMs: 290 }), 0);
    c.tick(sample({ recvKbps: 400, sendKbps: 2300, loss: 0.5, queueMs: 290 }), 500);
    expect(c.decision).toEqual({ mode: 'adapted', kbps: 320 });
    let now = 500;
    while (c.decision.mode === 'adapted' && now < 120_000) {
      const k = c.decision.kbps;
      c.tick(sample({ recvKbps: k, sendKbps: k, queueMs: 2 }), (now += 500));
    }
    expect(c.decision.mode).toBe('full');
    expect(now).toBeLessThan(25_000);
  });

  it('random loss with everything sent getting through is not congestion (10 % loss link, loaded receiver)', () => {
    const c = new RateController();
    for (let t = 0; t < 10_000; t += 500) c.tick(sample({ recvKbps: 2070, sendKbps: 2300, loss: 0.1 }), t);
    expect(c.decision).toEqual({ mode: 'full' });
    // the same loss with a bottleneck (a third got through) is
    c.tick(sample({ recvKbps: 900, sendKbps: 2300, loss: 0.15 }), 10_500);
    expect(c.tick(sample({ recvKbps: 900, sendKbps: 2300, loss: 0.15 }), 11_000).mode).toBe('adapted');
  });

  it('ignores ticks without feedback (no video, no TWCC)', () => {
    const c = new RateController();
    for (let t = 0; t < 5000; t += 500) c.tick(sample({ packets: 0, loss: 1 }), t), c.tick(sample({ recvKbps: 0, loss: 1 }), t);
    expect(c.decision).toEqual({ mode: 'full' });
  });
});
