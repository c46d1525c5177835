// Readers of PTZ and media answers (SOAP Body trees with local names; ours or node-onvif's). Vendors
// differ in what they omit, so every field is optional here and the caller decides what is fatal.
import { at, attr, isNode, textOf, type XmlNode, type XmlValue } from './xml-tree.js';

/** tt:MoveStatus values. */
export const MOVE_STATUSES = ['IDLE', 'MOVING', 'UNKNOWN'] as const;
export type MoveStatus = (typeof MOVE_STATUSES)[number];

/** A PTZVector in ONVIF's generic spaces: pan/tilt −1..1, zoom 0..1. */
export interface PtzVector {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface PtzStatusReading {
  position: PtzVector;
  moveStatus: { panTilt: MoveStatus; zoom: MoveStatus };
  /** The camera's clock, when it reports one. */
  utcTime?: string;
}

export interface PresetReading {
  token: string;
  name: string;
  position?: PtzVector;
}

function num(n: XmlValue | undefined, name: string): number | undefined {
  const v = Array.isArray(n) ? undefined : attr(n, name);
  const x = v === undefined ? NaN : Number(v);
  return Number.isFinite(x) ? x : undefined;
}

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function moveState(n: XmlValue | undefined): MoveStatus {
  const s = textOf(n)?.toUpperCase();
  return (MOVE_STATUSES as readonly string[]).includes(s ?? '') ? (s as MoveStatus) : 'UNKNOWN';
}

/** PTZVector (`<PanTilt x y/><Zoom x/>`); a missing Zoom reads as 0 (fixed-lens PT heads omit it). */
export function vectorOf(n: XmlValue | undefined): PtzVector | undefined {
  if (!isNode(n)) return undefined;
  const pan = num(n.PanTilt, 'x');
  const tilt = num(n.PanTilt, 'y');
  if (pan === undefined || tilt === undefined) return undefined;
  return { pan, tilt, zoom: num(n.Zoom, 'x') ?? 0 };
}

/** GetStatusResponse → status, or undefined when the camera sent no position. */
export function parseStatus(body: XmlNode): PtzStatusReading | undefined {
  const st = at(body, 'GetStatusResponse', 'PTZStatus');
  const position = vectorOf(at(st, 'Position'));
  if (!position) return undefined;
  const ms = at(st, 'MoveStatus');
  // ONVIF 1.x cameras answer a single <MoveStatus>IDLE</MoveStatus> for both axes.
  const flat = typeof ms === 'string' ? moveState(ms) : undefined;
  const utcTime = textOf(at(st, 'UtcTime'));
  return {
    position,
    moveStatus: { panTilt: flat ?? moveState(at(ms, 'PanTilt')), zoom: flat ?? moveState(at(ms, 'Zoom')) },
    ...(utcTime ? { utcTime } : {}),
  };
}

/** GetPresetsResponse → presets; presets without a token are skipped (unusable). */
export function parsePresets(body: XmlNode): PresetReading[] {
  const out: PresetReading[] = [];
  for (const p of list(at(body, 'GetPresetsResponse', 'Preset'))) {
    const token = isNode(p) ? attr(p, 'token') : undefined;
    if (!token) continue;
    const position = vectorOf(at(p, 'PTZPosition'));
    out.push({ token, name: textOf(at(p, 'Name')) ?? '', ...(position ? { position } : {}) });
  }
  return out;
}

/** SetPresetResponse → the token the camera assigned. */
export function parseSetPreset(body: XmlNode): string | undefined {
  return textOf(at(body, 'SetPresetResponse', 'PresetToken')) || undefined;
}

/** GetStreamUriResponse → URI; trims the whitespace some Dahua firmwares put inside <Uri>. */
export function parseStreamUri(body: XmlNode): string | undefined {
  return textOf(at(body, 'GetStreamUriResponse', 'MediaUri', 'Uri')) || undefined;
}
