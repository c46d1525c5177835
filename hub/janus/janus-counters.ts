import type { HandleStats } from './janus-admin.js';

// The legs' counters and paths from Janus's Admin API, read when someone asks (GET …/stats, /metrics), not on a
// timer: a `handle_info` per handle every 2 s cost the hub 3.3–5.7 % of a core at 8 × 7 with nobody reading.
// A sweep reads every live handle; reads within `maxAgeMs` of a sweep's start are answered from it, and reads
// while one runs wait for that one — a console polling each second and a Prometheus scrape cost one sweep.

export interface CountedLeg {
  readonly state: string;
  readonly handle?: number;
  readonly session: { readonly id: number /** why it was lost; null while alive */; readonly lost: string | null };
  stats: HandleStats | null;
}

export interface CounterSweepDeps {
  legs: Set<CountedLeg>;
  /** handle_info of one handle (janus-admin.ts handleStats); null: Janus does not know it (any more) */
  read: (session: number, handle: number) => Promise<HandleStats | null>;
  now: () => number;
  /** answers within this long of a sweep's start come from it (default 2000) */
  maxAgeMs?: number;
  /** Admin API requests at once (default 8): a sweep of 64 handles is 8 rounds, not 64 sockets */
  parallel?: number;
  /** a reader waits this long for a sweep (default 3000), then reads the last counters: a hung Admin API never holds a scrape */
  maxWaitMs?: number;
}

export function counterSweeps(d: CounterSweepDeps) {
  const maxAge = d.maxAgeMs ?? 2000;
  let running: Promise<void> | undefined;
  let startedAt = Number.NEGATIVE_INFINITY;
  let sweeps = 0;

  async function sweep() {
    for (const leg of d.legs) if (leg.state === 'closed') d.legs.delete(leg);
    const todo = [...d.legs].filter((l) => l.handle !== undefined && !l.session.lost);
    const worker = async () => {
      for (let leg = todo.shift(); leg; leg = todo.shift()) {
        // A failed read keeps the last counters (they only grow); the next sweep tries again.
        leg.stats = (await d.read(leg.session.id, leg.handle!).catch(() => null)) ?? leg.stats;
      }
    };
    await Promise.all(Array.from({ length: d.parallel ?? 8 }, worker));
  }

  return {
    /** Brings every leg's `stats` up to date, at most one sweep per `maxAgeMs`; never rejects. */
    refresh(): Promise<void> {
      if (!running && d.now() - startedAt >= maxAge) {
        startedAt = d.now();
        sweeps++;
        running = sweep().finally(() => {
          running = undefined;
        });
      }
      const wait = running;
      if (!wait) return Promise.resolve();
      return new Promise<void>((done) => {
        const late = setTimeout(done, d.maxWaitMs ?? 3000);
        void wait.then(() => (clearTimeout(late), done()));
      });
    },
    /** Sweeps made so far (tests). */
    sweeps: () => sweeps,
  };
}
