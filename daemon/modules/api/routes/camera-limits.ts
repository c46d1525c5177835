import { InvalidRequestError } from '../../../../common/errors.js';
import type { PtzLimits, PtzVector } from '../../../drivers/ptz/ptz-driver.js';

// An absolute move is checked against what this camera can reach (driver.limits(): its PTZ spaces and
// configuration limits, FULL_RANGE where a protocol has none) before it goes out: 400 naming the camera,
// the field and the camera's range, instead of a camera fault (502) or a silent clamp.

const AXES = ['pan', 'tilt', 'zoom'] as const;

/** The refusal for the first axis outside the camera's range, or undefined. */
export function outOfLimits(
  camera: string,
  limits: PtzLimits,
  position: PtzVector,
  field = 'body.position',
): InvalidRequestError | undefined {
  for (const axis of AXES) {
    const { min, max } = limits[axis];
    const v = position[axis];
    if (v >= min && v <= max) continue;
    return new InvalidRequestError(
      `${field}.${axis}`,
      `camera "${camera}" chỉ tới được ${axis} ${min}..${max}, yêu cầu ${v} / camera "${camera}" reaches ${axis} ${min}..${max} only, asked ${v}`,
    );
  }
  return undefined;
}
