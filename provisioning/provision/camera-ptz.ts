import { setTimeout as delay } from 'node:timers/promises';
import type { OnvifPtz } from '../../daemon/drivers/ptz/onvif-ptz.js';
import type { PtzVector } from '../../daemon/drivers/ptz/ptz-driver.js';

// PTZ through the daemon's own ONVIF driver: a test move (does the camera really go where it is told?) and
// waiting for a move to end before a preset is stored or a snapshot taken.

const near = (a: PtzVector, b: PtzVector, tol = 0.02) =>
  Math.abs(a.pan - b.pan) <= tol && Math.abs(a.tilt - b.tilt) <= tol && Math.abs(a.zoom - b.zoom) <= tol;
const fmt = (v: PtzVector) => `pan ${v.pan.toFixed(2)} tilt ${v.tilt.toFixed(2)} zoom ${v.zoom.toFixed(2)}`;

/** Moves to `target` and waits (at most `ceilingMs`) until the camera reports it there and idle. */
export async function moveAndSettle(cam: OnvifPtz, target: PtzVector, ceilingMs = 20_000): Promise<{ ms: number; at: PtzVector }> {
  const t0 = performance.now();
  await cam.absoluteMove(target);
  let at = (await cam.status()).position;
  while (performance.now() - t0 < ceilingMs) {
    const s = await cam.status();
    at = s.position;
    if (near(at, target) && s.moveStatus.panTilt !== 'MOVING' && s.moveStatus.zoom !== 'MOVING') break;
    await delay(200);
  }
  return { ms: Math.round(performance.now() - t0), at };
}

/** The test move: from where it is, a little to the side, and back. Figures say where it went and how fast. */
export async function testMove(cam: OnvifPtz): Promise<{ ok: boolean; figure: string }> {
  const from = (await cam.status()).position;
  const target = { pan: from.pan > 0 ? from.pan - 0.2 : from.pan + 0.2, tilt: from.tilt, zoom: from.zoom };
  const went = await moveAndSettle(cam, target);
  const ok = near(went.at, target);
  await moveAndSettle(cam, from);
  return { ok, figure: `${fmt(from)} → ${fmt(went.at)} in ${went.ms} ms${ok ? '' : ` (asked ${fmt(target)})`}` };
}

export const parseVector = (v: unknown): PtzVector => {
  const nums = Array.isArray(v)
    ? v.map(Number)
    : typeof v === 'object' && v
      ? ['pan', 'tilt', 'zoom'].map((k) => Number((v as Record<string, unknown>)[k]))
      : String(v)
          .trim()
          .split(/[\s,]+/)
          .map(Number);
  const [pan, tilt, zoom] = nums;
  if (
    nums.length !== 3 ||
    ![pan, tilt, zoom].every((n) => Number.isFinite(n)) ||
    Math.abs(pan!) > 1 ||
    Math.abs(tilt!) > 1 ||
    zoom! < 0 ||
    zoom! > 1
  )
    throw new Error('ba số "pan tilt zoom": pan, tilt −1..1, zoom 0..1 / three numbers "pan tilt zoom": pan and tilt −1..1, zoom 0..1');
  return { pan: pan!, tilt: tilt!, zoom: zoom! };
};
