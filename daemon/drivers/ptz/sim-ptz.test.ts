import { describePtzContract } from '../../../tests/contract/ptz-contract.js';
import { SimPtz } from './sim-ptz.js';

describePtzContract('sim', async () => {
  const driver = new SimPtz({ id: 'cam-sim', timeoutMs: 1500 });
  await driver.start();
  return {
    driver,
    tolerance: 1e-6,
    setOffline: async (off) => driver.setOffline(off),
    setLatency: async (ms) => void (driver.faults.latencyMs = ms),
    teardown: () => driver.stop(),
  };
});
