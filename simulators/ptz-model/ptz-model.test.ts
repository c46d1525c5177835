import { describe, expect, it } from 'vitest';
import { PtzModel } from './ptz-model.js';

function modelAt() {
  let now = 0;
  const model = new PtzModel(() => now);
  return { model, advance: (ms: number) => (now += ms) };
}

describe('PtzModel', () => {
  it('moves to a target at limited speed and then rests', () => {
    const { model, advance } = modelAt();
    model.moveTo({ pan: 0.8, tilt: -0.4, zoom: 0.5 });
    advance(500);
    expect(model.moving().panTilt).toBe(true);
    expect(model.position().pan).toBeCloseTo(0.4, 5);
    advance(1000);
    expect(model.position()).toEqual({ pan: 0.8, tilt: -0.4, zoom: 0.5 });
    expect(model.moving()).toEqual({ panTilt: false, zoom: false });
  });

  it('continuous move stops at the mechanical limit and after its timeout', () => {
    const { model, advance } = modelAt();
    model.continuous({ pan: 1, tilt: 0, zoom: 0 }, 1000);
    advance(500);
    expect(model.moving().panTilt).toBe(true);
    advance(5000);
    expect(model.position().pan).toBeCloseTo(0.8, 5);
    expect(model.moving().panTilt).toBe(false);
    model.continuous({ pan: 1, tilt: 0, zoom: 0 });
    advance(10_000);
    expect(model.position().pan).toBe(1);
    expect(model.moving().panTilt).toBe(false);
  });

  it('stop freezes the position mid-move', () => {
    const { model, advance } = modelAt();
    model.moveTo({ pan: -1, tilt: 0, zoom: 0 });
    advance(250);
    model.stop();
    advance(1000);
    expect(model.position().pan).toBeCloseTo(-0.2, 5);
  });

  it('stores, recalls and removes presets', () => {
    const { model, advance } = modelAt();
    model.moveTo({ pan: 0.5, tilt: 0.5, zoom: 0.2 });
    advance(5000);
    const token = model.setPreset('Bàn công dân');
    model.moveTo({ pan: 0, tilt: 0, zoom: 0 });
    advance(5000);
    model.moveTo(model.preset(token)!.position);
    advance(5000);
    expect(model.position()).toEqual({ pan: 0.5, tilt: 0.5, zoom: 0.2 });
    expect(model.removePreset(token)).toBe(true);
    expect(model.preset(token)).toBeUndefined();
  });
});

describe('PtzModel partial stop', () => {
  it('stopping pan/tilt keeps zoom moving, and the reverse', () => {
    const { model, advance } = modelAt();
    model.moveTo({ pan: 1, tilt: 0, zoom: 1 });
    advance(200);
    model.stop({ panTilt: true, zoom: false });
    const pan = model.position().pan;
    advance(200);
    expect(model.position().pan).toBeCloseTo(pan, 6);
    expect(model.moving()).toEqual({ panTilt: false, zoom: true });
    model.continuous({ pan: 1, tilt: 0, zoom: 1 });
    advance(100);
    model.stop({ panTilt: false, zoom: true });
    expect(model.moving()).toEqual({ panTilt: true, zoom: false });
  });

  it('keeps moves, velocities and presets inside its limits (a zoom that ends at 0.5)', () => {
    const { model, advance } = modelAt();
    model.setLimits({ zoom: [0, 0.5], tilt: [-0.5, 1] });
    expect(model.limits()).toEqual({ pan: [-1, 1], tilt: [-0.5, 1], zoom: [0, 0.5] });
    model.moveTo({ pan: 0, tilt: -1, zoom: 1 });
    advance(5000);
    expect(model.position()).toEqual({ pan: 0, tilt: -0.5, zoom: 0.5 });
    model.continuous({ pan: 0, tilt: 0, zoom: -1 });
    advance(5000);
    expect(model.position().zoom).toBe(0);
    model.continuous({ pan: 0, tilt: 0, zoom: 1 });
    advance(5000);
    expect(model.position().zoom).toBe(0.5);
    expect(model.moving().zoom).toBe(false);
    expect(model.preset(model.setPreset('p', undefined, { pan: 0, tilt: 0, zoom: 0.9 }))?.position.zoom).toBe(0.5);
  });
});
