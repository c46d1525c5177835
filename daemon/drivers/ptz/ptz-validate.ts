import { InvalidRequestError } from '../../../common/errors.js';
import { FULL_RANGE, type PtzLimits, type PtzVector, type Range } from './ptz-driver.js';

// Range checks shared by every driver, so each rejects the same values with the same field names.
// Positions are checked against the camera's own limits (driver.limits()): out of them is the caller's
// mistake (400 naming the field and the range), never a camera fault (502). Deltas and velocities are
// first checked against the generic units, then clamped to what the camera takes: "move further" at a
// limit stops there, as a joystick would.

const AXES = ['pan', 'tilt', 'zoom'] as const;

function inRange(field: string, v: number, min: number, max: number) {
  if (!Number.isFinite(v) || v < min || v > max) throw new InvalidRequestError(field, `must be between ${min} and ${max}, got ${v}`);
}

/** `camera` given: the limits are that camera's and the message says so (Vietnamese, then English). */
export function checkPosition(p: PtzVector, field = 'position', limits: PtzLimits = FULL_RANGE, camera?: string) {
  for (const axis of AXES) {
    const v = p[axis];
    const { min, max } = limits[axis];
    const full = FULL_RANGE[axis];
    if (camera === undefined || !Number.isFinite(v) || v < full.min || v > full.max) inRange(`${field}.${axis}`, v, min, max);
    else if (v < min || v > max) {
      throw new InvalidRequestError(
        `${field}.${axis}`,
        `ngoài tầm của camera ${camera}: ${axis} từ ${min} đến ${max}, nhận ${v} / outside camera ${camera}'s range: ${axis} ${min} to ${max}, got ${v}`,
      );
    }
  }
}

export function checkVelocity(v: PtzVector, field = 'velocity') {
  inRange(`${field}.pan`, v.pan, -1, 1);
  inRange(`${field}.tilt`, v.tilt, -1, 1);
  inRange(`${field}.zoom`, v.zoom, -1, 1);
}

export function checkSpeed(speed: number | undefined) {
  if (speed === undefined) return;
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1) throw new InvalidRequestError('speed', `must be in (0, 1], got ${speed}`);
}

const clamp = (v: number, r: Range) => Math.min(r.max, Math.max(r.min, v));

/** Every axis of `v` into its range (ranges from readPtzSpaces: translation or velocity). */
export function clampVector(v: PtzVector, ranges: PtzLimits): PtzVector {
  return { pan: clamp(v.pan, ranges.pan), tilt: clamp(v.tilt, ranges.tilt), zoom: clamp(v.zoom, ranges.zoom) };
}

/** RelativeMove: generic check (400 on NaN or beyond ±1), then clamped to the camera's translation ranges. */
export function clampDelta(d: PtzVector, translation: PtzLimits, field = 'delta'): PtzVector {
  checkVelocity(d, field);
  return clampVector(d, translation);
}

/** ContinuousMove: generic check, then clamped to the camera's velocity ranges. */
export function clampVelocity(v: PtzVector, velocity: PtzLimits, field = 'velocity'): PtzVector {
  checkVelocity(v, field);
  return clampVector(v, velocity);
}
