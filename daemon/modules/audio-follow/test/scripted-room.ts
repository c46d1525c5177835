import { FollowDecider, type FollowSettings, type Target } from '../follow-decider.js';

// A room on a scripted clock: each channel's level is a function of time, meters report every
// `meterMs` (the Tesira subscription rate) with a per-channel phase (multiples of 10 ms), the module ticks every `tickMs`.

export const SETTINGS: FollowSettings = {
  rules: [
    { channel: 'citizen', preset: 'Citizen' },
    { channel: 'officer', preset: 'Officer' },
    { channel: 'officer2', preset: 'Officer' },
  ],
  roomPreset: 'Room',
  onDb: -35,
  offDb: -45,
  gapMs: 300,
  talkMs: 800,
  silenceMs: 4000,
  holdMs: 4000,
  staleMs: 1000,
};

export const QUIET = -60;
export const TALK = -20;

export interface Move extends Target {
  at: number;
}

export function scriptedRoom(opts: { settings?: FollowSettings; meterMs?: number; tickMs?: number; phaseMs?: number } = {}) {
  const meterMs = opts.meterMs ?? 200;
  const tickMs = opts.tickMs ?? 100;
  const phase = opts.phaseMs ?? 0;
  const decider = new FollowDecider(opts.settings ?? SETTINGS, 0);
  const levels = new Map<string, (t: number) => number | null>();
  const moves: Move[] = [];
  let now = 0;
  return {
    decider,
    moves,
    now: () => now,
    /** Sets a channel's level from now on: a number, or a function of time; null = its meter stops. */
    level(channel: string, db: number | null | ((t: number) => number | null)) {
      levels.set(channel, typeof db === 'function' ? db : () => db);
    },
    /** Runs the clock to `until` (ms), 10 ms steps: meters on their period, ticks on theirs. */
    runTo(until: number) {
      for (; now <= until; now += 10) {
        [...levels].forEach(([ch, f], i) => {
          const db = f(now);
          if (db !== null && (now - phase - i * 70) % meterMs === 0) decider.meter(ch, db, now);
        });
        if (now % tickMs === 0) {
          const t = decider.tick(now);
          if (t) moves.push({ ...t, at: now });
        }
      }
    },
  };
}

/** Shortest time between two successive moves (Infinity with fewer than two). */
export function minInterval(moves: Move[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 1; i < moves.length; i++) min = Math.min(min, moves[i].at - moves[i - 1].at);
  return min;
}

/** Deterministic PRNG (mulberry32) for speech-like scripts. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
