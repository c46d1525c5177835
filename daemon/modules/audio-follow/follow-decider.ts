import type { FOLLOW_CAUSES } from '../../../common/contracts/daemon-api/audio-follow.js';

// The audio-follow camera's decision, pure: meter readings and the time come in, "recall preset X" comes
// out. No timers, no I/O — the module feeds it the clock, the tests a scripted one.

export interface FollowSettings {
  /** channel id → preset token (several channels may share one preset: two officers' mics). */
  rules: { channel: string; preset: string }[];
  /** Whole-room preset: several talkers at once, or silence. */
  roomPreset: string;
  /** A channel turns loud at or above onDb and quiet again only below offDb (hysteresis). */
  onDb: number;
  offDb: number;
  /** A pause shorter than this does not end a talker's turn (gaps between words). */
  gapMs: number;
  /** A new target must hold this long before the camera moves. */
  talkMs: number;
  /** Silence this long before the whole-room shot. */
  silenceMs: number;
  /** Least time between two automatic moves (the camera must not hunt). */
  holdMs: number;
  /** A meter silent this long counts as no talker (its channel is reported stale). */
  staleMs: number;
}

export type Cause = (typeof FOLLOW_CAUSES)[number];

export interface Target {
  preset: string;
  cause: Cause;
  /** The talking channels behind it. */
  channels: string[];
}

interface ChannelTrack {
  db: number | null;
  at: number | null;
  loud: boolean;
  lastLoudAt: number | null;
}

/** Retries of a camera that keeps refusing: holdMs, then twice as long each time, up to this. */
export const MAX_RETRY_MS = 60_000;

export class FollowDecider {
  private readonly tracks = new Map<string, ChannelTrack>();
  private candidate: Target | null = null;
  private candidateSince = 0;
  private current: string | null = null;
  private lastMoveAt = Number.NEGATIVE_INFINITY;
  private failures = 0;

  constructor(
    private readonly s: FollowSettings,
    private readonly startAt: number, // a room just started is "silent since now", not since 1970
  ) {
    for (const r of s.rules) this.tracks.set(r.channel, { db: null, at: null, loud: false, lastLoudAt: null });
  }

  /** One meter reading; channels without a rule are ignored. */
  meter(channel: string, db: number, now: number): void {
    const t = this.tracks.get(channel);
    if (!t) return;
    t.db = db;
    t.at = now;
    t.loud = t.loud ? db >= this.s.offDb : db >= this.s.onDb;
    if (t.loud) t.lastLoudAt = now;
  }

  /**
   * The preset to recall now, or null. The caller reports back with failed() or moved(). With `act` false
   * (following off or paused) the candidate is still tracked, so a resume frames a sustained talker at once.
   */
  tick(now: number, act = true): Target | null {
    const next = this.target(now);
    if (next && next.preset !== this.candidate?.preset) {
      this.candidate = next;
      this.candidateSince = now;
    } else if (next) this.candidate = next; // same shot, fresher reason
    const c = this.candidate;
    // Move only while someone talks (or on silence): a 400 ms blip then quiet moves nothing.
    if (!act || !next || !c || c.preset === this.current) return null;
    const settle = c.cause === 'silence' ? 0 : this.s.talkMs; // silence already waited silenceMs
    const wait = this.failures === 0 ? this.s.holdMs : Math.min(MAX_RETRY_MS, this.s.holdMs * 2 ** (this.failures - 1));
    if (now - this.candidateSince < settle || now - this.lastMoveAt < wait) return null;
    this.current = c.preset;
    this.lastMoveAt = now;
    return c;
  }

  /** The move failed: the shot is unknown; retried after holdMs, then twice as long each time (≤ MAX_RETRY_MS). */
  failed(): void {
    this.current = null;
    this.failures++;
  }

  /** The move was made: retries back to the hold time. */
  succeeded(): void {
    this.failures = 0;
  }

  /** Someone moved the camera by hand (or auto was off): the shot is unknown; the hold time counts from now. */
  moved(now: number): void {
    this.current = null;
    this.lastMoveAt = now;
    this.failures = 0; // the camera answers
  }

  /** Resume after off/pause: the shot is unknown, re-asserted as soon as the hold time allows. */
  forget(): void {
    this.current = null;
  }

  /** Talking channels: loud within the last gapMs, meter fresh. */
  talking(now: number): string[] {
    return [...this.tracks]
      .filter(([, t]) => this.fresh(t, now) && t.lastLoudAt !== null && now - t.lastLoudAt <= this.s.gapMs)
      .map(([id]) => id);
  }

  view(now: number) {
    return {
      current: this.current,
      candidate: this.candidate,
      lastMoveAt: Number.isFinite(this.lastMoveAt) ? this.lastMoveAt : null,
      channels: [...this.tracks].map(([id, t]) => ({ id, db: t.db, ageMs: t.at === null ? null : now - t.at, stale: !this.fresh(t, now) })),
    };
  }

  private fresh(t: ChannelTrack, now: number): boolean {
    return t.at !== null && now - t.at <= this.s.staleMs;
  }

  /** What the camera should show now; null = keep the current candidate (a short pause is no change). */
  private target(now: number): Target | null {
    if ([...this.tracks.values()].every((t) => !this.fresh(t, now))) return null; // the DSP is away: the camera stays
    const talking = this.talking(now);
    const lastSound = Math.max(this.startAt, ...[...this.tracks.values()].map((t) => t.lastLoudAt ?? this.startAt));
    const presets = [...new Set(talking.map((ch) => this.s.rules.find((r) => r.channel === ch)!.preset))];
    if (presets.length === 1) return { preset: presets[0], cause: 'talker', channels: talking };
    if (presets.length > 1) return { preset: this.s.roomPreset, cause: 'several', channels: talking };
    if (now - lastSound >= this.s.silenceMs) return { preset: this.s.roomPreset, cause: 'silence', channels: [] };
    return null;
  }
}
