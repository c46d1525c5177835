import { describe, expect, it } from 'vitest';
import { MAX_ZOOM, OUTPUT, SCENE, clampView, viewCrop } from './view-geometry.js';

const inScene = (c: ReturnType<typeof viewCrop>) => {
  expect(c.x).toBeGreaterThanOrEqual(0);
  expect(c.y).toBeGreaterThanOrEqual(0);
  expect(c.x + c.width).toBeLessThanOrEqual(SCENE.width);
  expect(c.y + c.height).toBeLessThanOrEqual(SCENE.height);
  expect(c.left + c.width + c.right).toBe(SCENE.width);
  expect(c.top + c.height + c.bottom).toBe(SCENE.height);
};

describe('viewCrop', () => {
  it('home looks at the middle of the scene with the wide window', () => {
    const c = viewCrop({ pan: 0, tilt: 0, zoom: 0 });
    expect(c).toMatchObject({ x: 640, y: 360, width: 1280, height: 720, left: 640, right: 640, top: 360, bottom: 360 });
  });

  it('pan and tilt extremes reach the scene edges; tilt up shows the top', () => {
    expect(viewCrop({ pan: -1, tilt: 1, zoom: 0 })).toMatchObject({ x: 0, y: 0 });
    expect(viewCrop({ pan: 1, tilt: -1, zoom: 0 })).toMatchObject({ right: 0, bottom: 0 });
  });

  it('zoom shrinks the window exponentially down to 1/MAX_ZOOM, keeping 16:9 and even offsets', () => {
    const tele = viewCrop({ pan: 0, tilt: 0, zoom: 1 });
    expect(tele.width).toBe(OUTPUT.width / MAX_ZOOM);
    const mid = viewCrop({ pan: 0.3, tilt: -0.7, zoom: 0.5 });
    expect(Math.abs(mid.width - OUTPUT.width / Math.sqrt(MAX_ZOOM))).toBeLessThanOrEqual(32);
    for (const zoom of [0, 0.1, 0.33, 0.5, 0.77, 1]) {
      for (const pan of [-1, -0.37, 0, 0.51, 1]) {
        const c = viewCrop({ pan, tilt: pan / 2, zoom });
        inScene(c);
        expect(c.width * 9).toBe(c.height * 16);
        expect([c.x % 2, c.y % 2, c.height % 2]).toEqual([0, 0, 0]);
      }
    }
  });

  it('moves monotonically with pan and keeps the centre while zooming', () => {
    const xs = [-1, -0.5, 0, 0.5, 1].map((pan) => viewCrop({ pan, tilt: 0, zoom: 0.4 }).x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(new Set(xs).size).toBe(xs.length);
    const wide = viewCrop({ pan: 0, tilt: 0, zoom: 0 });
    const tele = viewCrop({ pan: 0, tilt: 0, zoom: 1 });
    expect(tele.x + tele.width / 2).toBe(wide.x + wide.width / 2);
  });

  it('clamps out-of-range and non-finite input', () => {
    expect(clampView({ pan: 3, tilt: -9, zoom: Number.NaN })).toEqual({ pan: 1, tilt: -1, zoom: 0 });
    inScene(viewCrop({ pan: 5, tilt: 5, zoom: 5 }));
  });

  it('fits a scene narrower than the output aspect', () => {
    const c = viewCrop({ pan: 0, tilt: 0, zoom: 0 }, { width: 1000, height: 1000 });
    expect(c.width).toBeLessThanOrEqual(1000);
    expect(c.width * 9).toBe(c.height * 16);
  });
});
