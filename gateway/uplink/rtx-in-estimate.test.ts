import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { until } from '../../tests/helpers/until.js';
import { type FeedbackPacket, LinkEstimator } from './link-estimator.js';
import { createLiveRate } from './live-rate.js';
import type { LiveDecision } from './rate-controller.js';

// Issue 12: werift resends the packets the hub NACKs by itself, outside the TWCC feedback — ~120 kbit/s of a
// 512 kbit/s link in a chaos run, on top of a picture encoded for the whole link. The resent bytes now count in
// the estimate, and the encoder is given the link's rate less them (the pacer keeps the whole rate).

/** `ms` of media at `kbps` in 1000-byte packets sent from `t0`, every one delivered 30 ms later (no queue). */
const clean = (t0: number, ms: number, kbps: number): FeedbackPacket[] =>
  Array.from({ length: Math.round((ms * kbps) / 8000) }, (_, i) => {
    const sentAtMs = t0 + (i * 8000) / kbps;
    return { size: 1000, sentAtMs, receivedAtMs: sentAtMs + 30 };
  });

describe('retransmissions in the link estimate', () => {
  it('counts the resent bytes of the last second in what was sent and received, at the media’s delivery ratio', () => {
    const e = new LinkEstimator();
    for (let t = 0; t < 2000; t += 100) e.add(clean(t, 100, 400), t + 100);
    expect(e.sample(2000)).toMatchObject({ rtxKbps: 0 });
    const before = e.sample(2000);
    // A recorded NACK burst: 15 000 bytes resent within 200 ms (a keyframe's lost packets) = 120 kbit/s over the second.
    for (let i = 0; i < 10; i++) e.addRetransmitted(1500, 1800 + i * 20);
    const s = e.sample(2000);
    expect(s.rtxKbps).toBeCloseTo(120, 5);
    expect(s.sendKbps - before.sendKbps).toBeCloseTo(120, 5);
    expect(s.recvKbps - before.recvKbps).toBeCloseTo(120, 5); // everything sent got through: the resent bytes too
    for (let t = 2000; t < 3000; t += 100) e.add(clean(t, 100, 400), t + 100);
    expect(e.sample(3000).rtxKbps).toBe(0); // the burst is past
  });
});

/** until() with its ceiling counted in polls (every 50 ms of real time): its own deadline reads the faked clock. */
async function waitFor<T>(what: () => string, probe: () => T): Promise<NonNullable<T>> {
  let polls = 0;
  return (await until(what, 30_000, () => {
    if (++polls > 400) throw new Error(`not seen in 400 polls: ${what()}`);
    return probe();
  })) as NonNullable<T>;
}

describe('live rate: the encoder gets the link less the retransmissions', () => {
  const close: (() => unknown)[] = [];
  afterEach(() => {
    vi.useRealTimers();
    for (const c of close.splice(0)) c();
  });

  it('a NACK burst of 120 kbit/s drops the encoder target by 120 kbit/s while the pacer keeps the link’s rate', async () => {
    const posts: (number | null)[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts.push((JSON.parse(body) as { kbps: number | null }).kbps);
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close.push(() => server.close());
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date', 'performance'], now: 1_000_000 });
    const paced: LiveDecision[] = [];
    const lr = createLiveRate({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/live-rate`,
      logger: silentLogger(),
      warmupMs: 0,
      controller: { maxKbps: 400, probeAfterMs: 600_000 }, // the link's rate settles at 400 and stays there
      onDecision: (d) => paced.push(d),
    });
    close.push(() => lr.stop());
    lr.start();
    const step = (feed: (t: number) => void) => {
      feed(Date.now());
      vi.advanceTimersByTime(100);
    };
    // A bottleneck: 960 kbit/s sent, half lost, a queue growing to 300 ms → adapted; then a clean link at 400.
    for (let i = 0; i < 10; i++)
      step((t) => lr.feedback(clean(t, 100, 960).map((p, k) => ({ ...p, receivedAtMs: k % 2 ? null : p.sentAtMs + 30 + i * 30 + k }))));
    for (let i = 0; i < 30; i++) step((t) => lr.feedback(clean(t, 100, 400)));
    await waitFor(
      () => `the encoder told 400 (posts ${JSON.stringify(posts)})`,
      () => posts.at(-1) === 400,
    );
    expect(paced.at(-1)).toEqual({ mode: 'adapted', kbps: 400 });
    const pacedBefore = paced.length;
    // The burst: 1 500 bytes resent every 100 ms for 1 s = 120 kbit/s beside the 400 kbit/s picture.
    for (let i = 0; i < 10; i++)
      step((t) => {
        lr.feedback(clean(t, 100, 400));
        lr.retransmitted(1500);
      });
    const low = await waitFor(
      () => `the encoder target lowered by the resent rate (posts ${JSON.stringify(posts)})`,
      () => posts.find((k) => k !== null && k < 300),
    );
    expect(low).toBeGreaterThanOrEqual(400 - 135); // 120 kbit/s (132 when the window holds 11 of the resends)
    expect(low).toBeLessThanOrEqual(400 - 105);
    // The pacer keeps the link's rate (it charges the resent bytes to it): media + resent fit the link.
    expect(paced.slice(pacedBefore)).toEqual([]);
    const during = posts.length;
    for (let i = 0; i < 20; i++) step((t) => lr.feedback(clean(t, 100, 400)));
    await waitFor(
      () => `the whole rate back (posts ${JSON.stringify(posts)})`,
      () => posts.slice(during).includes(400),
    );
  }, 60_000);
});
