import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_RANGE, type PtzLimits } from '../../../drivers/ptz/ptz-driver.js';
import { SimPtz } from '../../../drivers/ptz/sim-ptz.js';
import { apiFixture, REMOTE, TOKENS } from './api-fixture.js';

// Issue 11: a camera whose zoom ends at 0.5 (its ONVIF ZoomLimits) answered 502 to an absolute move to 0.8.
// The API reads driver.limits() and refuses out-of-range absolute moves with 400, naming camera, field and range.
class LimitedZoomSim extends SimPtz {
  readonly asked: number[] = [];
  limits(): PtzLimits {
    return { ...FULL_RANGE, zoom: { min: 0, max: 0.5 } };
  }
  async absoluteMove(position: { pan: number; tilt: number; zoom: number }, speed?: number) {
    this.asked.push(position.zoom);
    await super.absoluteMove(position, speed);
  }
}

describe("camera limits: the camera's reachable range, exposed and applied to absolute moves", () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  let cam: LimitedZoomSim;
  const officer = { ...REMOTE, headers: { authorization: `Bearer ${TOKENS.officer}` } };
  beforeAll(async () => {
    cam = new LimitedZoomSim({ id: 'cam1', timeoutMs: 1500 });
    f = await apiFixture('monitor', undefined, { driver: cam, presetNames: [] });
  });
  afterAll(() => f.close());

  it('GET /cameras/:id/limits gives the range the driver read from the camera (monitor may read it)', async () => {
    const res = await f.app.inject({
      url: '/api/v1/cameras/cam1/limits',
      ...REMOTE,
      headers: { authorization: `Bearer ${TOKENS.monitor}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: 0, max: 0.5 } });
    expect((await f.app.inject({ url: '/api/v1/cameras/cam2/limits', ...officer })).json()).toEqual(FULL_RANGE);
    expect((await f.app.inject({ url: '/api/v1/cameras/nope/limits', ...officer })).statusCode).toBe(404);
  });

  it('an absolute move past the zoom end is 400 naming camera, field and range; the camera is not asked', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/move/absolute',
      ...officer,
      payload: { position: { pan: 0.2, tilt: 0, zoom: 0.8 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST', field: 'body.position.zoom' });
    expect(res.json().message).toMatch(/camera "cam1" reaches zoom 0\.\.0\.5 only, asked 0\.8/);
    expect(res.json().message).toMatch(/^body\.position\.zoom: camera "cam1" chỉ tới được zoom 0\.\.0\.5/);
    expect(cam.asked).toEqual([]);
  });

  it('inside the range the move goes through and the camera gets there', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/move/absolute',
      ...officer,
      payload: { position: { pan: 0.2, tilt: 0, zoom: 0.5 } },
    });
    expect(res.statusCode).toBe(200);
    await expect
      .poll(async () => (await f.app.inject({ url: '/api/v1/cameras/cam1/status', ...officer })).json().position.zoom, { timeout: 10_000 })
      .toBeCloseTo(0.5, 3);
  });
});
