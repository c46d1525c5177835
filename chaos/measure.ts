// What the viewer at the hub saw around a fault, from its per-second samples (pure).
import type { ScenarioExpect, ViewerSample } from './scenario.js';

export interface Window {
  /** Median frames decoded per second. */
  fps: number;
  /** Seconds with no frame decoded. */
  frozenS: number;
  /** Longest gap between audio packets (ms). */
  maxAudioGapMs: number;
  seconds: number;
}

export function median(xs: number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Samples whose second lies within [from, to] (a sample at t covers t−1000…t). */
export const within = (samples: ViewerSample[], from: number, to: number) =>
  samples.filter((s) => s.t - 1000 >= from - 200 && s.t <= to + 200);

export function windowOf(samples: ViewerSample[], from: number, to: number): Window {
  const w = within(samples, from, to);
  return {
    fps: Math.round(median(w.map((s) => s.frames)) * 10) / 10,
    frozenS: w.filter((s) => s.frames === 0).length,
    maxAudioGapMs: w.reduce((m, s) => Math.max(m, s.maxAudioGapMs), 0),
    seconds: w.length,
  };
}

/**
 * Recovery: ms from `faultEnd` to the start of the first of two consecutive seconds at ≥ `fps` frames
 * (0 when media never dropped below it at the fault's end); null when it has not happened in the samples.
 */
export function recoveryMs(samples: ViewerSample[], faultEnd: number, fps: number): number | null {
  const after = samples.filter((s) => s.t > faultEnd);
  for (let i = 0; i + 1 < after.length; i++)
    if (after[i]!.frames >= fps && after[i + 1]!.frames >= fps) return Math.max(0, Math.round(after[i]!.t - 1000 - faultEnd));
  return null;
}

export interface Judgement {
  ok: boolean;
  failures: string[];
}

export function judge(
  e: ScenarioExpect,
  m: { during: Window; after: Window; recoveryMs: number | null; verified: boolean; checks: { name: string; ok: boolean }[] },
): Judgement {
  const failures: string[] = [];
  if (m.during.seconds && m.during.fps < e.minFpsDuring) failures.push(`during ${m.during.fps} fps < ${e.minFpsDuring}`);
  if (m.during.maxAudioGapMs > e.maxAudioGapDuringMs) failures.push(`audio gap ${m.during.maxAudioGapMs} ms > ${e.maxAudioGapDuringMs}`);
  if (m.recoveryMs === null) failures.push('media not back');
  else if (m.recoveryMs > e.recoveryMaxMs) failures.push(`recovery ${(m.recoveryMs / 1000).toFixed(1)} s > ${e.recoveryMaxMs / 1000} s`);
  if (m.after.seconds && m.after.fps < e.recoveredFps) failures.push(`after ${m.after.fps} fps < ${e.recoveredFps}`);
  if (m.verified !== e.verifies) failures.push(m.verified ? 'verified though expected not to' : 'recording does not verify');
  for (const c of m.checks) if (!c.ok) failures.push(c.name);
  return { ok: failures.length === 0, failures };
}
