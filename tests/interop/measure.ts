import { until } from '../helpers/until.js';
import type { GstClient } from './gst-client.js';

// One way to read every viewer: running totals of frames decoded, audio seconds decoded and their energy
// (Σ rms² × seconds), sampled twice around a window → frames per second and the audio's RMS (0..1 full scale).

export interface Totals {
  frames: number;
  audioSeconds: number;
  energy: number;
  /** When these totals were true (performance.now()): a Python viewer's last stats line, not when it was read. */
  at?: number;
}
export interface Measured {
  fps: number;
  rms: number;
  /** Audio seconds decoded per second of the window (1 = all of it). */
  audio: number;
  /** From the WHEP POST to the first decoded frame and audio. */
  firstMs: number;
}

/** Totals from a Python viewer's stats lines (gst_decode.py: cumulative frames and seconds, rms since the last line). */
export function gstTotals(client: GstClient): () => Promise<Totals> {
  return async () => {
    const out: Totals = { frames: 0, audioSeconds: 0, energy: 0 };
    let seconds = 0;
    for (const e of client.events) {
      if (e.event !== 'stats') continue;
      const s = Number(e.audioSeconds);
      out.energy += Number(e.rms) ** 2 * (s - seconds);
      seconds = s;
      out.frames = Number(e.frames);
      out.at = Number(e.at);
    }
    out.audioSeconds = seconds;
    return out;
  };
}

export async function measure(
  totals: () => Promise<Totals>,
  startedAt: number,
  windowMs: number,
  what: string,
  state: () => string = () => '',
): Promise<Measured> {
  let last: Totals | undefined;
  await until(
    () => `${what}: first frame and audio (last seen ${JSON.stringify(last)} ${state()})`,
    90_000,
    async () => {
      last = await totals();
      return last.frames > 0 && last.audioSeconds > 0;
    },
    100,
  );
  const firstMs = Math.round(performance.now() - startedAt);
  const read = async () => {
    const at = performance.now();
    const t = await totals();
    return { ...t, at: t.at ?? at };
  };
  const a = await read();
  await new Promise((r) => setTimeout(r, windowMs)); // the measurement window itself, not a wait for a state
  const b = await read();
  const seconds = (b.at - a.at) / 1000;
  const audioSeconds = b.audioSeconds - a.audioSeconds;
  return {
    fps: round((b.frames - a.frames) / seconds),
    rms: round(audioSeconds > 0 ? Math.sqrt((b.energy - a.energy) / audioSeconds) : 0, 3),
    audio: round(audioSeconds / seconds, 2),
    firstMs,
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
