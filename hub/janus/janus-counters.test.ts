import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HandleStats } from './janus-admin.js';
import { type CountedLeg, counterSweeps } from './janus-counters.js';

// When the Admin API is read: only for a reader, once per 2 s however many read, one sweep shared by readers that
// come while it runs. The clock is injected and the timers are fake: a poller (the plane's old setInterval every
// 2 s) would read with nobody asking, and the first test would count its calls.

const stats = (packets: number): HandleStats => ({
  in: { audio: { packets, bytes: packets * 80 }, video: { packets, bytes: packets * 300 } },
  out: { audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } },
  path: 'direct-udp',
});
const leg = (handle: number | undefined, state = 'connected', lost: string | null = null): CountedLeg => ({
  state,
  handle,
  session: { id: 1, lost },
  stats: null,
});

function rig(n = 3) {
  let t = 1_000_000;
  const calls: number[] = [];
  const pending: { handle: number; done: (s: HandleStats | null) => void; fail: (e: Error) => void }[] = [];
  const legs = new Set<CountedLeg>(Array.from({ length: n }, (_, i) => leg(100 + i)));
  const sweeps = counterSweeps({
    legs,
    now: () => t,
    read: (_s, handle) => {
      calls.push(handle);
      return new Promise((done, fail) => pending.push({ handle, done, fail }));
    },
  });
  /** Janus answers every request made so far, each handle's packets = its number. */
  const answer = async () => {
    do {
      for (const p of pending.splice(0)) p.done(stats(p.handle));
      await vi.advanceTimersByTimeAsync(0); // the sweep's next requests go out
    } while (pending.length);
  };
  return { legs, sweeps, calls, pending, answer, advance: (ms: number) => ((t += ms), vi.advanceTimersByTimeAsync(ms)) };
}

afterEach(() => void vi.useRealTimers());

describe('Janus counters on demand', () => {
  it('nobody reads: no Admin API request, however long the legs live', async () => {
    vi.useFakeTimers();
    const r = rig();
    for (let i = 0; i < 30; i++) await r.advance(2000);
    expect(r.calls).toEqual([]);
    expect(r.sweeps.sweeps()).toBe(0);
  });

  it('a read sweeps every live handle once; reads within 2 s come from it; later ones sweep again', async () => {
    vi.useFakeTimers();
    const r = rig();
    r.legs.add(leg(undefined)); // subscribe leg whose offer has not opened a handle yet
    r.legs.add(leg(200, 'closed')); // gone: dropped, not asked about
    r.legs.add(leg(300, 'connected', 'no such session')); // its session is lost: Janus forgot it
    const first = r.sweeps.refresh();
    await r.answer();
    await first;
    expect(r.calls).toEqual([100, 101, 102]);
    expect([...r.legs].map((l) => l.stats?.in.video.packets ?? null)).toEqual([100, 101, 102, null, null]);
    await r.advance(1500);
    await r.sweeps.refresh();
    expect(r.calls).toHaveLength(3); // answered from the sweep 1.5 s ago
    await r.advance(600);
    const again = r.sweeps.refresh();
    await r.answer();
    await again;
    expect(r.calls).toHaveLength(6);
    expect(r.sweeps.sweeps()).toBe(2);
  });

  it('readers arriving while a sweep runs share it: one request per handle', async () => {
    vi.useFakeTimers();
    const r = rig(20);
    const settled: string[] = [];
    const a = r.sweeps.refresh().then(() => settled.push('a'));
    const b = r.sweeps.refresh().then(() => settled.push('b'));
    expect(r.pending.length).toBe(8); // at most 8 Admin API requests at once
    await r.advance(1000); // the sweep still runs: the readers wait for it
    expect(settled).toEqual([]);
    const c = r.sweeps.refresh().then(() => settled.push('c')); // a third, 1 s later: the same sweep
    await r.answer();
    await Promise.all([a, b, c]);
    expect(settled).toEqual(['a', 'b', 'c']);
    expect(r.calls).toHaveLength(20);
    expect(new Set(r.calls).size).toBe(20);
    expect(r.sweeps.sweeps()).toBe(1);
  });

  it('a hung Admin API holds a reader 3 s at most: it gets the last counters, the sweep goes on', async () => {
    vi.useFakeTimers();
    const r = rig(1);
    const first = r.sweeps.refresh();
    await r.answer();
    await first;
    await r.advance(2000);
    let read = false;
    const second = r.sweeps.refresh().then(() => (read = true));
    await r.advance(2900);
    expect(read).toBe(false);
    await r.advance(200);
    await second;
    expect([...r.legs][0]!.stats?.in.video.packets).toBe(100); // the last sweep's
    expect(r.pending).toHaveLength(1); // still asked
    void r.sweeps.refresh(); // a reader now waits on the same sweep: no second request
    expect(r.calls).toHaveLength(2);
  });

  it('a failed request keeps the last counters, and the read does not fail', async () => {
    vi.useFakeTimers();
    const r = rig(1);
    const first = r.sweeps.refresh();
    await r.answer();
    await first;
    await r.advance(2000);
    const second = r.sweeps.refresh();
    r.pending.shift()!.fail(new Error('connect ECONNREFUSED 127.0.0.1:7088'));
    await expect(second).resolves.toBeUndefined();
    expect([...r.legs][0]!.stats?.in.video.packets).toBe(100);
  });
});
