import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceUnavailableError, InvalidRequestError, NotFoundError } from '../../common/errors.js';
import { FULL_RANGE, type PtzDriver, type PtzLimits, type PtzStatus, type PtzVector } from '../../daemon/drivers/ptz/ptz-driver.js';
import { until } from '../helpers/until.js';

/** What each implementation's test file provides: a started driver plus the knobs of its simulator. */
export interface PtzHarness {
  driver: PtzDriver;
  /** Take the device off the line (network down / cable unplugged) or bring it back. */
  setOffline(offline: boolean): Promise<void>;
  /** Make the device answer after `ms` (0 = normal). */
  setLatency(ms: number): Promise<void>;
  /** Position tolerance of the protocol (VISCA quantizes positions to integers). */
  tolerance: number;
  /** The range the simulated unit was set to (default FULL_RANGE): driver.limits() must report it. */
  limits?: PtzLimits;
  /** A preset token the device does not have (default '99'; a Hikvision dome has a function slot 99). */
  unknownPreset?: string;
  teardown(): Promise<void>;
}

async function waitIdle(driver: PtzDriver, timeoutMs = 8000): Promise<PtzStatus> {
  let last: PtzStatus | undefined;
  const idle = (s: PtzStatus) => s.moveStatus.panTilt === 'IDLE' && s.moveStatus.zoom === 'IDLE';
  return until(
    () => `the camera idle (last: ${JSON.stringify(last)})`,
    timeoutMs,
    async () => ((last = await driver.status()), idle(last) && last),
    100,
  );
}

function expectNear(actual: PtzVector, expected: PtzVector, tol: number) {
  expect(Math.abs(actual.pan - expected.pan)).toBeLessThanOrEqual(tol);
  expect(Math.abs(actual.tilt - expected.tilt)).toBeLessThanOrEqual(tol);
  expect(Math.abs(actual.zoom - expected.zoom)).toBeLessThanOrEqual(tol);
}

/** One suite, run against every PtzDriver implementation (convention 5). */
export function describePtzContract(name: string, setup: () => Promise<PtzHarness>) {
  describe(`PtzDriver contract: ${name}`, () => {
    let h: PtzHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.teardown();
    });

    it('reports device information and online health', async () => {
      const info = await h.driver.info();
      expect(info.manufacturer.length).toBeGreaterThan(0);
      expect(info.model.length).toBeGreaterThan(0);
      expect(h.driver.health().state).toBe('online');
    });

    it('absolute move takes time (MOVING) and ends IDLE at the target', async () => {
      await h.driver.absoluteMove({ pan: 0, tilt: 0, zoom: 0 });
      await waitIdle(h.driver);
      const target = { pan: 0.6, tilt: -0.3, zoom: 0.4 };
      await h.driver.absoluteMove(target);
      const during = await h.driver.status();
      expect(during.moveStatus.panTilt).toBe('MOVING');
      const after = await waitIdle(h.driver);
      expectNear(after.position, target, h.tolerance);
    });

    it('relative move adds to the current position', async () => {
      const start = (await waitIdle(h.driver)).position;
      await h.driver.relativeMove({ pan: -0.2, tilt: 0.1, zoom: 0 });
      const after = await waitIdle(h.driver);
      expectNear(after.position, { pan: start.pan - 0.2, tilt: start.tilt + 0.1, zoom: start.zoom }, h.tolerance * 2);
    });

    it('continuous move changes the position until halted', async () => {
      const before = (await waitIdle(h.driver)).position;
      await h.driver.continuousMove({ pan: -0.5, tilt: 0, zoom: 0 });
      await new Promise((r) => setTimeout(r, 600));
      await h.driver.halt();
      const stopped = await waitIdle(h.driver, 3000);
      expect(stopped.position.pan).toBeLessThan(before.pan - 0.05);
      await new Promise((r) => setTimeout(r, 400));
      expectNear((await h.driver.status()).position, stopped.position, h.tolerance);
    });

    it('home returns to the centre', async () => {
      await h.driver.home();
      const after = await waitIdle(h.driver);
      expectNear(after.position, { pan: 0, tilt: 0, zoom: 0 }, h.tolerance);
    });

    it('sets, lists, recalls and removes a preset', async () => {
      const spot = { pan: -0.5, tilt: 0.25, zoom: 0.3 };
      await h.driver.absoluteMove(spot);
      await waitIdle(h.driver);
      const token = await h.driver.setPreset('Bàn công dân');
      expect((await h.driver.presets()).some((p) => p.token === token)).toBe(true);
      await h.driver.home();
      await waitIdle(h.driver);
      await h.driver.gotoPreset(token);
      expectNear((await waitIdle(h.driver)).position, spot, h.tolerance);
      await h.driver.removePreset(token);
      expect((await h.driver.presets()).some((p) => p.token === token)).toBe(false);
    });

    it('unknown preset is NotFoundError', async () => {
      await expect(h.driver.gotoPreset(h.unknownPreset ?? '99')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('out-of-range values are InvalidRequestError naming the field', async () => {
      await expect(h.driver.absoluteMove({ pan: 2, tilt: 0, zoom: 0 })).rejects.toMatchObject({
        constructor: InvalidRequestError,
        field: 'position.pan',
      });
      await expect(h.driver.continuousMove({ pan: 0, tilt: 0, zoom: -3 })).rejects.toBeInstanceOf(InvalidRequestError);
    });

    it("limits() reports the unit's range, inside the generic units", () => {
      expect(h.driver.limits()).toEqual(h.limits ?? FULL_RANGE);
    });

    it('an absolute move past the limits is InvalidRequestError naming the field and the range; nothing moves', async () => {
      await h.driver.absoluteMove({ pan: 0, tilt: 0, zoom: 0 });
      const before = (await waitIdle(h.driver)).position;
      const l = h.limits ?? FULL_RANGE;
      for (const axis of ['pan', 'tilt', 'zoom'] as const) {
        const beyond = l[axis].max < FULL_RANGE[axis].max ? (l[axis].max + FULL_RANGE[axis].max) / 2 : FULL_RANGE[axis].max + 0.5;
        const err = await h.driver.absoluteMove({ ...before, [axis]: beyond }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidRequestError);
        expect(err).toMatchObject({ field: `position.${axis}`, statusCode: 400 });
        expect((err as Error).message).toContain(String(l[axis].max));
      }
      expectNear((await waitIdle(h.driver)).position, before, h.tolerance);
    });

    it('a relative or continuous move toward a limit stops at the limit (never a device error)', async () => {
      const top = (h.limits ?? FULL_RANGE).zoom.max;
      await h.driver.absoluteMove({ pan: 0, tilt: 0, zoom: top * 0.6 });
      await waitIdle(h.driver);
      await h.driver.relativeMove({ pan: 0, tilt: 0, zoom: 0.9 });
      expect((await waitIdle(h.driver)).position.zoom).toBeCloseTo(top, 2);
      await h.driver.absoluteMove({ pan: 0, tilt: 0, zoom: 0 });
      await waitIdle(h.driver);
      await h.driver.continuousMove({ pan: 0, tilt: 0, zoom: 1 }, 10_000);
      // VISCA cannot tell a zoom at its end from one still driven: wait for the position, then halt.
      await until('zoom at its limit', 8000, async () => (await h.driver.status()).position.zoom >= top - h.tolerance, 100);
      await h.driver.halt();
      expect(Math.abs((await waitIdle(h.driver)).position.zoom - top)).toBeLessThanOrEqual(h.tolerance);
      await h.driver.home();
      await waitIdle(h.driver);
    });

    it('offline device fails fast with DeviceUnavailableError, then recovers', async () => {
      await h.setOffline(true);
      const t0 = Date.now();
      await expect(h.driver.status()).rejects.toBeInstanceOf(DeviceUnavailableError);
      expect(Date.now() - t0).toBeLessThan(2000);
      await h.setOffline(false);
      await expect
        .poll(
          async () =>
            await h.driver.status().then(
              () => 'ok',
              () => 'down',
            ),
          { timeout: 10_000, interval: 250 },
        )
        .toBe('ok');
      await expect.poll(() => h.driver.health().state, { timeout: 5000 }).toBe('online');
    });

    it('slow device times out in under 2 s, then recovers', async () => {
      await h.setLatency(5000);
      const t0 = Date.now();
      await expect(h.driver.status()).rejects.toBeInstanceOf(DeviceUnavailableError);
      expect(Date.now() - t0).toBeLessThan(2000);
      await h.setLatency(0);
      await expect
        .poll(
          async () =>
            await h.driver.status().then(
              () => 'ok',
              () => 'down',
            ),
          { timeout: 10_000, interval: 250 },
        )
        .toBe('ok');
    });
  });
}
