// Conversions between VISCA integer positions and the driver's normalized units (pan/tilt -1..1, zoom 0..1).
//
// Default ranges: pan ±0x0990 (2448 steps ≈ ±170°) and zoom 0..0x4000 (wide..optical tele) as listed
// for Sony EVI-H100S/BRC-class cameras; tilt ±0x0510 is a symmetric slice chosen for the simulator.
// Real tilt ranges are often asymmetric (e.g. −30°..+90°), so the mapping is piecewise: −1 maps to
// the minimum, 0 to VISCA 0 and +1 to the maximum. Check your model's manual and pass its ranges.

export interface ViscaRanges {
  panMin: number;
  panMax: number;
  tiltMin: number;
  tiltMax: number;
  zoomMax: number;
}

export const DEFAULT_RANGES: ViscaRanges = { panMin: -0x0990, panMax: 0x0990, tiltMin: -0x0510, tiltMax: 0x0510, zoomMax: 0x4000 };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function toSigned(n: number, min: number, max: number): number {
  const c = clamp(n, -1, 1);
  return Math.round(c >= 0 ? c * max : -c * min);
}

function fromSigned(v: number, min: number, max: number): number {
  if (v >= 0) return max === 0 ? 0 : clamp(v / max, 0, 1);
  return min === 0 ? 0 : clamp(-v / min, -1, 0);
}

export const panToVisca = (n: number, r = DEFAULT_RANGES) => toSigned(n, r.panMin, r.panMax);
export const tiltToVisca = (n: number, r = DEFAULT_RANGES) => toSigned(n, r.tiltMin, r.tiltMax);
export const zoomToVisca = (n: number, r = DEFAULT_RANGES) => Math.round(clamp(n, 0, 1) * r.zoomMax);
export const panFromVisca = (v: number, r = DEFAULT_RANGES) => fromSigned(v, r.panMin, r.panMax);
export const tiltFromVisca = (v: number, r = DEFAULT_RANGES) => fromSigned(v, r.tiltMin, r.tiltMax);
export const zoomFromVisca = (v: number, r = DEFAULT_RANGES) => clamp(v / r.zoomMax, 0, 1);

/** Normalized speed (0, 1] → pan/tilt speed bytes (0x01..0x18, 0x01..0x14). */
export function speedToVisca(speed = 1): { panSpeed: number; tiltSpeed: number } {
  const s = clamp(speed, 0, 1);
  return { panSpeed: Math.max(1, Math.round(s * 0x18)), tiltSpeed: Math.max(1, Math.round(s * 0x14)) };
}

export const panSpeedFromVisca = (b: number) => clamp(b / 0x18, 0, 1);
export const tiltSpeedFromVisca = (b: number) => clamp(b / 0x14, 0, 1);

/** Normalized zoom velocity magnitude (0, 1] → variable zoom speed p (0..7), and back. */
export const zoomSpeedToVisca = (v: number) => clamp(Math.round(Math.abs(v) * 8) - 1, 0, 7);
export const zoomSpeedFromVisca = (p: number) => (clamp(p, 0, 7) + 1) / 8;
