import { describe, expect, it } from 'vitest';
import { createImpairer, prng, REORDER_EXTRA_MS, TCP_LOSS_PENALTY_MS } from './impair.js';

describe('impairer', () => {
  it('is seeded: the same seed makes the same decisions', () => {
    const a = createImpairer(7);
    const b = createImpairer(7);
    a.set({ lossPct: 30, delayMs: 100, jitterMs: 40 });
    b.set({ lossPct: 30, delayMs: 100, jitterMs: 40 });
    const da = Array.from({ length: 200 }, () => a.udp());
    expect(Array.from({ length: 200 }, () => b.udp())).toEqual(da);
    expect(prng(1)()).not.toBe(prng(2)());
  });

  it('drops about lossPct of datagrams', () => {
    const i = createImpairer(1);
    i.set({ lossPct: 10 });
    const n = 20_000;
    const dropped = Array.from({ length: n }, () => i.udp()).filter((d) => d === null).length;
    expect(dropped / n).toBeGreaterThan(0.09);
    expect(dropped / n).toBeLessThan(0.11);
  });

  it('delays by delay ± jitter, uniformly, so jitter alone reorders', () => {
    const i = createImpairer(3);
    i.set({ delayMs: 200, jitterMs: 50 });
    const d = Array.from({ length: 5000 }, () => i.udp()!);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...d)).toBeLessThanOrEqual(250);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    expect(Math.abs(mean - 200)).toBeLessThan(3);
    // a later packet leaving before an earlier one (sent 20 ms apart) happens
    expect(d.some((x, k) => k > 0 && x + 20 < d[k - 1]!)).toBe(true);
  });

  it('reorders reorderPct of datagrams by holding them back', () => {
    const i = createImpairer(5);
    i.set({ reorderPct: 25 });
    const d = Array.from({ length: 4000 }, () => i.udp()!);
    const held = d.filter((x) => x === REORDER_EXTRA_MS).length / d.length;
    expect(held).toBeGreaterThan(0.22);
    expect(held).toBeLessThan(0.28);
  });

  it('down: every datagram dropped, TCP held (null); up again: through', () => {
    const i = createImpairer(9);
    i.set({ down: true });
    expect(Array.from({ length: 100 }, () => i.udp()).every((x) => x === null)).toBe(true);
    expect(i.tcp(1000, 0)).toBeNull();
    i.set({ down: false });
    expect(i.udp()).toBe(0);
    expect(i.tcp(1000, 0)).toBe(1000);
  });

  it('TCP stays in order: a chunk never leaves before the previous one; a lost segment costs an RTO', () => {
    const i = createImpairer(11);
    i.set({ delayMs: 100, jitterMs: 90 });
    let prev = 0;
    for (let k = 0; k < 1000; k++) {
      const at = i.tcp(k, prev)!;
      expect(at).toBeGreaterThanOrEqual(prev);
      prev = at;
    }
    const j = createImpairer(12);
    j.set({ lossPct: 100 });
    expect(j.tcp(0, 0)).toBe(TCP_LOSS_PENALTY_MS);
  });
});
