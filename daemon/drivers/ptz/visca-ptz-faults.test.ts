import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRejectedError, DeviceUnavailableError, InvalidRequestError, NotFoundError } from '../../../common/errors.js';
import type { Health } from '../../../common/lifecycle.js';
import { viscaRig } from './visca-ptz-test-rig.js';

// VISCA-specific behaviour beyond the shared contract: garbage, error replies, presets kept by the
// driver, unplug / replug with health events, timed continuous moves.

describe('ViscaPtz against the simulator on a pty', () => {
  let rig: Awaited<ReturnType<typeof viscaRig>>;
  const healths: Health[] = [];
  const ok = () =>
    rig.driver.status().then(
      () => 'ok',
      () => 'down',
    );

  beforeAll(async () => {
    rig = await viscaRig('faults', { presetNames: { '3': 'Bàn chủ trì', '99': 'ignored: beyond 16 memories' } });
    rig.driver.events.on('health', (h) => healths.push(h));
  });
  afterAll(() => rig.teardown());

  it('garbage replies fail the call fast with DeviceUnavailableError, then the line resyncs', async () => {
    await rig.sim.setFaults({ garbage: true });
    const t0 = Date.now();
    await expect(rig.driver.status()).rejects.toBeInstanceOf(DeviceUnavailableError);
    await expect(rig.driver.absoluteMove({ pan: 0.1, tilt: 0, zoom: 0 })).rejects.toBeInstanceOf(DeviceUnavailableError);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(rig.driver.health()).toMatchObject({ state: 'offline', lastError: 'garbled reply' });
    await rig.sim.setFaults({ garbage: false });
    await expect.poll(ok, { timeout: 5000 }).toBe('ok');
    expect(rig.driver.health().state).toBe('online');
  });

  it('VISCA error replies are DeviceRejectedError', async () => {
    await rig.sim.setFaults({ protocolError: true });
    await expect(rig.driver.absoluteMove({ pan: 0.1, tilt: 0, zoom: 0 })).rejects.toThrow(DeviceRejectedError);
    await expect(rig.driver.status()).rejects.toThrow(/syntax error/);
    await rig.sim.setFaults({ protocolError: false });
    expect(await ok()).toBe('ok');
  });

  it('lists configured preset names and recalls memories stored on the camera', async () => {
    expect(await rig.driver.presets()).toEqual([{ token: '3', name: 'Bàn chủ trì' }]);
    // The camera had memory 3 stored by an installer; the driver only knew its name.
    rig.sim.model.setPreset('installer', '3', { pan: 0.2, tilt: 0.1, zoom: 0.5 });
    await rig.driver.gotoPreset('3');
    await expect.poll(async () => (await rig.driver.status()).moveStatus.panTilt, { timeout: 5000 }).toBe('IDLE');
    expect((await rig.driver.status()).position.zoom).toBeCloseTo(0.5, 2);
    await expect(rig.driver.gotoPreset('16')).rejects.toBeInstanceOf(NotFoundError);
    await expect(rig.driver.setPreset('x', '16')).rejects.toMatchObject({ constructor: InvalidRequestError, field: 'token' });
    expect(await rig.driver.setPreset('Cửa', '7')).toBe('7');
    expect(rig.sim.model.preset('7')).toBeDefined();
  });

  it('a timed continuous move stops by itself', async () => {
    await rig.driver.continuousMove({ pan: 0.5, tilt: 0, zoom: 0 }, 300);
    expect((await rig.driver.status()).moveStatus.panTilt).toBe('MOVING');
    await new Promise((r) => setTimeout(r, 500));
    const a = await rig.driver.status();
    expect(a.moveStatus.panTilt).toBe('IDLE');
    await new Promise((r) => setTimeout(r, 300));
    expect((await rig.driver.status()).position.pan).toBeCloseTo(a.position.pan, 3);
  });

  it('unplug: offline event, fast failures, reconnect at the same path, online event', async () => {
    const before = rig.driver.health().reconnects;
    healths.length = 0;
    await rig.setOffline(true);
    const t0 = Date.now();
    await expect(rig.driver.home()).rejects.toBeInstanceOf(DeviceUnavailableError);
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect.poll(() => rig.driver.health().state, { timeout: 5000 }).toBe('offline');
    await expect(rig.driver.status()).rejects.toBeInstanceOf(DeviceUnavailableError);
    await rig.setOffline(false);
    await expect.poll(() => rig.driver.health().state, { timeout: 10_000 }).toBe('online');
    expect(rig.driver.health().reconnects).toBe(before + 1);
    expect(healths.map((h) => h.state)).toEqual(['offline', 'online']);
    expect(await ok()).toBe('ok');
  });
});
