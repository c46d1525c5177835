// Reading PTZ request arguments (vectors, speeds, tokens, timeouts) with ONVIF's range faults.
import type { Vec } from '../ptz-model/ptz-model.js';
import { attr, child, invalidArg, parseDuration, SoapFault, text, type XmlNode } from '../../common/protocols/onvif/index.js';

export const PROFILE_TOKEN = 'Profile_1';

/** A vector with axes the client left out as undefined ("leave this axis alone"). */
export type PartialVec = { [K in keyof Vec]?: number };

function number(raw: string | undefined, sub: string, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw invalidArg(sub, `${what} is not a number: ${raw}`);
  return n;
}

/** `<X><tt:PanTilt x y/><tt:Zoom x/></X>` → partial vector; values checked against the axis ranges. */
export function readVector(
  node: XmlNode,
  name: string,
  sub: string,
  ranges: { panTilt: [number, number]; zoom: [number, number] } | { pan: [number, number]; tilt: [number, number]; zoom: [number, number] },
): PartialVec | undefined {
  const v = child(node, name);
  if (v === undefined) return undefined;
  const pt = child(v, 'PanTilt');
  const z = child(v, 'Zoom');
  const out: PartialVec = {
    pan: number(attr(pt, 'x'), sub, `${name}.PanTilt.x`),
    tilt: number(attr(pt, 'y'), sub, `${name}.PanTilt.y`),
    zoom: number(attr(z, 'x'), sub, `${name}.Zoom.x`),
  };
  for (const axis of ['pan', 'tilt', 'zoom'] as const) {
    const val = out[axis];
    const [lo, hi] = 'panTilt' in ranges ? (axis === 'zoom' ? ranges.zoom : ranges.panTilt) : ranges[axis];
    if (val !== undefined && (val < lo || val > hi)) throw invalidArg(sub, `${name} ${axis}=${val} outside [${lo}, ${hi}]`);
  }
  return out;
}

/** One scalar speed for the model: the pan/tilt speed when pan/tilt moves, else the zoom speed. */
export function readSpeed(node: XmlNode, panTiltMoves: boolean): number {
  const s = readVector(node, 'Speed', 'InvalidSpeed', { panTilt: [0, 1], zoom: [0, 1] });
  if (!s) return 1;
  const pt = s.pan === undefined && s.tilt === undefined ? undefined : Math.max(s.pan ?? 0, s.tilt ?? 0);
  return (panTiltMoves ? (pt ?? s.zoom) : (s.zoom ?? pt)) ?? 1;
}

export function readProfile(node: XmlNode): void {
  const token = text(child(node, 'ProfileToken'));
  if (token !== PROFILE_TOKEN) throw invalidArg('NoProfile', `No such profile: ${token || '(missing)'}`);
}

export function readToken(node: XmlNode, name: string): string | undefined {
  const v = child(node, name);
  return v === undefined ? undefined : text(v);
}

/** Timeout in ms, clamped to the advertised PTZTimeout range; absent → DefaultPTZTimeout. */
export function readTimeout(node: XmlNode, defaultMs: number, maxMs: number): number {
  const raw = readToken(node, 'Timeout');
  if (raw === undefined || raw === '') return defaultMs;
  const ms = parseDuration(raw);
  if (ms === undefined) throw invalidArg('InvalidTimeout', `Timeout is not an xs:duration: ${raw}`);
  return Math.min(ms, maxMs);
}

/** xs:boolean; absent means true for Stop's PanTilt/Zoom flags. */
export function readFlag(node: XmlNode, name: string): boolean {
  const raw = readToken(node, name);
  if (raw === undefined || raw === '') return true;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new SoapFault('Sender', ['InvalidArgs'], `${name} is not a boolean: ${raw}`);
}
