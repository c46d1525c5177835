import { describePtzContract } from '../../../tests/contract/ptz-contract.js';
import { viscaRig } from './visca-ptz-test-rig.js';

describePtzContract('visca', async () => {
  const rig = await viscaRig('contract');
  return {
    driver: rig.driver,
    tolerance: 0.01,
    setOffline: (off) => rig.setOffline(off),
    setLatency: (ms) => rig.sim.setFaults({ latencyMs: ms }),
    teardown: () => rig.teardown(),
  };
});
