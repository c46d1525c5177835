import { MOVE_STATES, type MoveState, type PtzPreset, type PtzStatus, type PtzVector } from '../ptz-driver.js';

// Pure readers for node-onvif's xml2js trees (prefixes stripped, single children not wrapped in arrays,
// attributes under `$`, text under `_` when an element also has attributes). Vendors differ in what
// they omit, so every field is optional here and the caller decides what is fatal.

type Node = Record<string, any> | string | undefined;

/** Text of an element that may carry attributes (`{ _: 'text', $: {...} }`) or none (`'text'`). */
export function textOf(n: Node): string | undefined {
  if (n === undefined || n === null) return undefined;
  if (typeof n === 'string') return n.trim();
  if (typeof n === 'object' && typeof n._ === 'string') return n._.trim();
  return undefined;
}

function num(n: Node, attr: string): number | undefined {
  const v = typeof n === 'object' ? n?.$?.[attr] : undefined;
  const x = v === undefined ? NaN : Number(v);
  return Number.isFinite(x) ? x : undefined;
}

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function moveState(n: Node): MoveState {
  const s = textOf(n)?.toUpperCase();
  return (MOVE_STATES as readonly string[]).includes(s ?? '') ? (s as MoveState) : 'UNKNOWN';
}

/** PTZVector (`<PanTilt x y/><Zoom x/>`); a missing Zoom reads as 0 (fixed-lens PT heads omit it). */
export function vectorOf(n: Node): PtzVector | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const pan = num(n.PanTilt, 'x');
  const tilt = num(n.PanTilt, 'y');
  if (pan === undefined || tilt === undefined) return undefined;
  return { pan, tilt, zoom: num(n.Zoom, 'x') ?? 0 };
}

/** GetStatusResponse body → PtzStatus, or undefined when the camera sent no position. */
export function parseStatus(body: Record<string, any>): PtzStatus | undefined {
  const st = body?.GetStatusResponse?.PTZStatus;
  const position = vectorOf(st?.Position);
  if (!position) return undefined;
  const ms = st.MoveStatus;
  // ONVIF 1.x cameras answer a single <MoveStatus>IDLE</MoveStatus> for both axes.
  const flat = typeof ms === 'string' ? moveState(ms) : undefined;
  const utcTime = textOf(st.UtcTime);
  return {
    position,
    moveStatus: { panTilt: flat ?? moveState(ms?.PanTilt), zoom: flat ?? moveState(ms?.Zoom) },
    ...(utcTime ? { utcTime } : {}),
  };
}

/** GetPresetsResponse body → presets; presets without a token are skipped (unusable). */
export function parsePresets(body: Record<string, any>): PtzPreset[] {
  const out: PtzPreset[] = [];
  for (const p of list(body?.GetPresetsResponse?.Preset)) {
    const token = typeof p === 'object' ? p?.$?.token : undefined;
    if (!token) continue;
    const position = vectorOf(p.PTZPosition);
    out.push({ token, name: textOf(p.Name) ?? '', ...(position ? { position } : {}) });
  }
  return out;
}

/** SetPresetResponse body → the token the camera assigned. */
export function parseSetPreset(body: Record<string, any>): string | undefined {
  return textOf(body?.SetPresetResponse?.PresetToken) || undefined;
}

/** GetStreamUriResponse body → URI; trims the whitespace some Dahua firmwares put inside <Uri>. */
export function parseStreamUri(body: Record<string, any>): string | undefined {
  return textOf(body?.GetStreamUriResponse?.MediaUri?.Uri) || undefined;
}
