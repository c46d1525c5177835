import { InvalidRequestError } from '../../../common/errors.js';
import type { PtzVector } from './ptz-driver.js';

// Range checks shared by every driver, so each rejects the same values with the same field names.

function inRange(field: string, v: number, min: number, max: number) {
  if (!Number.isFinite(v) || v < min || v > max) throw new InvalidRequestError(field, `must be between ${min} and ${max}, got ${v}`);
}

export function checkPosition(p: PtzVector, field = 'position') {
  inRange(`${field}.pan`, p.pan, -1, 1);
  inRange(`${field}.tilt`, p.tilt, -1, 1);
  inRange(`${field}.zoom`, p.zoom, 0, 1);
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
