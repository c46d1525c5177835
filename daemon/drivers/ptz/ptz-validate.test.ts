import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../common/errors.js';
import { FULL_RANGE, type PtzLimits } from './ptz-driver.js';
import { checkPosition, clampDelta, clampVelocity } from './ptz-validate.js';

const ZOOM_HALF: PtzLimits = { ...FULL_RANGE, zoom: { min: 0, max: 0.5 } };

function refusal(f: () => unknown): InvalidRequestError {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidRequestError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('PTZ range checks against the camera limits', () => {
  it("an absolute position past the camera's range is 400 naming the field, the camera and its range", () => {
    const e = refusal(() => checkPosition({ pan: 0, tilt: 0, zoom: 0.8 }, 'position', ZOOM_HALF, 'cam-1'));
    expect(e.statusCode).toBe(400);
    expect(e.field).toBe('position.zoom');
    expect(e.message).toMatch(/ngoài tầm của camera cam-1: zoom từ 0 đến 0\.5, nhận 0\.8/);
    expect(e.message).toMatch(/outside camera cam-1's range: zoom 0 to 0\.5, got 0\.8/);
    expect(() => checkPosition({ pan: 0, tilt: 0, zoom: 0.5 }, 'position', ZOOM_HALF, 'cam-1')).not.toThrow();
  });

  it('beyond the generic units or not a number: the generic message, whatever the camera', () => {
    expect(refusal(() => checkPosition({ pan: 2, tilt: 0, zoom: 0 }, 'position', ZOOM_HALF, 'cam-1')).field).toBe('position.pan');
    expect(refusal(() => checkPosition({ pan: 0, tilt: Number.NaN, zoom: 0 })).message).toMatch(/must be between -1 and 1/);
  });

  it('relative deltas and velocities: generic check, then clamped to what the camera takes', () => {
    const translation: PtzLimits = { pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: -0.5, max: 0.5 } };
    expect(clampDelta({ pan: 0.2, tilt: -0.1, zoom: 0.9 }, translation)).toEqual({ pan: 0.2, tilt: -0.1, zoom: 0.5 });
    expect(refusal(() => clampDelta({ pan: 0, tilt: 0, zoom: 3 }, translation)).field).toBe('delta.zoom');
    const velocity: PtzLimits = { pan: { min: -0.5, max: 0.5 }, tilt: { min: -1, max: 1 }, zoom: { min: -1, max: 1 } };
    expect(clampVelocity({ pan: -1, tilt: 0.3, zoom: 0 }, velocity)).toEqual({ pan: -0.5, tilt: 0.3, zoom: 0 });
  });
});
