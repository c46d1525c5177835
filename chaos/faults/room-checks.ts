// What the fault scenarios read while a fault lasts (issue 12, part Q): the room's health (what the kiosk
// shows: it reads the same GET /api/v1/health), the hub's fleet view of the room (what the central
// operator sees), and timed checks "X is seen within N s" that report the figure whether they pass or not.
import type { HealthReply } from '../../common/contracts/daemon-api/health.js';
import type { ScenarioCheck, ScenarioContext } from '../scenario.js';

type Ctx = Pick<ScenarioContext, 'roomApi' | 'hubApi' | 'hearing' | 'log' | 'mark'>;

/** The room's health as the kiosk reads it; undefined while the daemon does not answer. */
export async function roomHealth(ctx: Ctx): Promise<HealthReply | undefined> {
  try {
    const r = await ctx.roomApi('/api/v1/health');
    if (!r.ok) return undefined;
    return (await r.json()) as HealthReply;
  } catch {
    return undefined;
  }
}

export interface HubRoomView {
  id: string;
  online: boolean;
  health: {
    recording?: { state: string; alarm?: { reason: string; message: string; since: string } | null } | null;
    devices?: { id: string; kind: string; state: string; lastError?: string }[];
    [k: string]: unknown;
  } | null;
}

/** The hub's fleet view of this room (GET /api/v1/fleet/rooms); undefined while the hub does not answer. */
export async function hubRoom(ctx: Ctx): Promise<HubRoomView | undefined> {
  try {
    const r = await ctx.hubApi('/api/v1/fleet/rooms');
    if (!r.ok) return undefined;
    const rooms = (await r.json()) as HubRoomView[];
    return rooms.find((x) => x.id === ctx.hearing.roomId);
  } catch {
    return undefined;
  }
}

/** A device of the room's health by kind or id (e.g. 'dsp', 'cam1'). */
export function device(h: HealthReply | undefined, match: (d: HealthReply['devices'][number]) => boolean) {
  return h?.devices.find(match);
}
export const isDsp = (d: { id: string; kind: string }) => /dsp|tesira|audio/i.test(d.kind) || /tesira|dsp|audio/i.test(d.id);
export const isPrimaryCamera = (d: { id: string; kind: string }) => d.id === 'cam1';

/**
 * Polls `probe` until it is truthy or `ceilingMs` passes; the check passes when seen within `targetMs`.
 * The figure (ms, or "not seen in N s") goes in the detail either way.
 */
export async function seenWithin<T>(
  ctx: Pick<ScenarioContext, 'log'>,
  name: string,
  targetMs: number,
  probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  o: { ceilingMs?: number; everyMs?: number; from?: number } = {},
): Promise<ScenarioCheck & { ms: number | null; value?: T }> {
  const from = o.from ?? performance.now();
  const ceiling = Math.max(o.ceilingMs ?? targetMs * 3, targetMs);
  for (;;) {
    let v: T | undefined | false | null;
    try {
      v = await probe();
    } catch {
      v = undefined;
    }
    const ms = Math.round(performance.now() - from);
    if (v) {
      const ok = ms <= targetMs;
      ctx.log(`${name}: ${ms} ms (target ≤ ${targetMs} ms)`);
      return { name, ok, detail: `${(ms / 1000).toFixed(1)} s (≤ ${targetMs / 1000} s)`, ms, value: v as T };
    }
    if (ms > ceiling) {
      ctx.log(`${name}: not seen in ${ceiling} ms`);
      return { name, ok: false, detail: `not seen in ${(ceiling / 1000).toFixed(0)} s`, ms: null };
    }
    await new Promise((r) => setTimeout(r, o.everyMs ?? 250));
  }
}

/** The recorder's count of entered segments (grows while it records). */
export async function segmentsEntered(ctx: Ctx): Promise<number | undefined> {
  return (await roomHealth(ctx))?.recording?.segments;
}

/** Waits (≤ ceiling) for the recorder to enter at least `more` new segments: recording goes on. */
export function recordingGoesOn(ctx: Ctx, name: string, targetMs: number, more = 1, ceilingMs?: number) {
  let base: number | undefined;
  return seenWithin(
    ctx,
    name,
    targetMs,
    async () => {
      const n = await segmentsEntered(ctx);
      if (n === undefined) return false;
      if (base === undefined) base = n;
      return n >= base + more && n;
    },
    { ceilingMs },
  );
}
