import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRejectedError, DeviceUnavailableError } from '../../../common/errors.js';
import { createOnvifCameraSim, type OnvifCameraSim } from '../../../simulators/onvif-camera/index.js';
import { describePtzContract } from '../../../tests/contract/ptz-contract.js';
import { OnvifPtz } from './onvif-ptz.js';

const creds = { username: 'admin', password: 'reception' };

async function startPair(timeoutMs = 1500) {
  const sim = createOnvifCameraSim({ ...creds, port: 0, discovery: null });
  await sim.start();
  const driver = new OnvifPtz({ id: 'cam-onvif', xaddr: sim.xaddr, ...creds, timeoutMs });
  await driver.start();
  return { sim, driver };
}

describePtzContract('onvif', async () => {
  const { sim, driver } = await startPair();
  return {
    driver,
    tolerance: 0.01,
    setOffline: (offline) => sim.setFaults({ offline }),
    setLatency: (latencyMs) => sim.setFaults({ latencyMs }),
    teardown: async () => {
      await driver.stop();
      await sim.stop();
    },
  };
});

describe('OnvifPtz against the simulator', () => {
  let sim: OnvifCameraSim;
  let driver: OnvifPtz;
  beforeAll(async () => ({ sim, driver } = await startPair()));
  afterAll(async () => {
    await driver?.stop();
    await sim?.stop();
  });

  it('reports the RTSP stream URI', async () => {
    expect(await driver.streamUri()).toMatch(/^rtsp:\/\//);
  });

  it('a SOAP fault is DeviceRejectedError and leaves the camera online', async () => {
    await sim.setFaults({ protocolError: true });
    await expect(driver.status()).rejects.toBeInstanceOf(DeviceRejectedError);
    expect(driver.health().state).toBe('online');
    await sim.setFaults({ protocolError: false });
    await expect(driver.status()).resolves.toBeDefined();
  });

  it('garbage answers fail cleanly and fast, then recover', async () => {
    await sim.setFaults({ garbage: true });
    const t0 = Date.now();
    const err = await driver.status().catch((e: unknown) => e);
    expect(err instanceof DeviceUnavailableError || err instanceof DeviceRejectedError).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2000);
    await sim.setFaults({ garbage: false });
    await expect(driver.status()).resolves.toBeDefined();
    expect(driver.health().state).toBe('online');
  });
});

describe('OnvifPtz start-up without the camera', () => {
  it('start() returns quickly offline, then connects in the background', async () => {
    const sim = createOnvifCameraSim({ ...creds, port: 0, discovery: null });
    await sim.start();
    const xaddr = sim.xaddr;
    await sim.setFaults({ offline: true });
    const driver = new OnvifPtz({ id: 'cam-late', xaddr, ...creds, timeoutMs: 500 });
    const t0 = Date.now();
    await driver.start();
    expect(Date.now() - t0).toBeLessThan(3500);
    expect(driver.health().state).toBe('offline');
    await expect(driver.status()).rejects.toBeInstanceOf(DeviceUnavailableError);
    await sim.setFaults({ offline: false });
    await expect.poll(() => driver.health().state, { timeout: 10_000, interval: 100 }).toBe('online');
    await expect(driver.status()).resolves.toBeDefined();
    await driver.stop();
    await sim.stop();
  });
});
