// The impairment relay's decisions, pure and seeded (no I/O): for each packet or TCP chunk, drop it
// or when to release it. A blackout drops every UDP packet and holds TCP bytes until the link is up
// again (a stalled TCP connection, not a reset one, as a cut cable does for its first minutes).

export interface ImpairState {
  lossPct: number;
  delayMs: number;
  jitterMs: number;
  reorderPct: number;
  down: boolean;
}

export const CLEAR: ImpairState = { lossPct: 0, delayMs: 0, jitterMs: 0, reorderPct: 0, down: false };

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Extra hold of a reordered packet: later packets overtake it. */
export const REORDER_EXTRA_MS = 25;
/** A lost TCP segment costs the stream about one retransmission timeout (Linux's minimum RTO). */
export const TCP_LOSS_PENALTY_MS = 200;

export function createImpairer(seed: number) {
  const rand = prng(seed);
  let state: ImpairState = { ...CLEAR };
  const delay = () => Math.max(0, state.delayMs + (state.jitterMs > 0 ? (rand() * 2 - 1) * state.jitterMs : 0));
  return {
    get state() {
      return state;
    },
    set(next: Partial<ImpairState>) {
      state = { ...state, ...next };
    },
    /** A datagram: null = dropped, else the delay (ms) before it goes on. Jitter alone reorders, as netem's does. */
    udp(): number | null {
      if (state.down) return null;
      if (state.lossPct > 0 && rand() * 100 < state.lossPct) return null;
      const extra = state.reorderPct > 0 && rand() * 100 < state.reorderPct ? REORDER_EXTRA_MS : 0;
      return delay() + extra;
    },
    /**
     * A TCP chunk arriving at `now` on a stream whose previous chunk leaves at `prevRelease`: when this one
     * leaves (never before the previous: a byte stream stays in order), or null while the link is down (hold it).
     */
    tcp(now: number, prevRelease: number): number | null {
      if (state.down) return null;
      const lost = state.lossPct > 0 && rand() * 100 < state.lossPct ? TCP_LOSS_PENALTY_MS : 0;
      return Math.max(prevRelease, now + delay() + lost);
    },
  };
}
export type Impairer = ReturnType<typeof createImpairer>;
