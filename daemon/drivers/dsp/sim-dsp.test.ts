import { expect, it } from 'vitest';
import { DeviceRejectedError } from '../../../common/errors.js';
import { describeDspContract } from '../../../tests/contract/dsp-contract.js';
import { createDsp } from './create-dsp.js';
import { silentLogger } from '../../../common/log.js';
import { SimDsp } from './sim-dsp.js';

describeDspContract('sim', async () => {
  const driver = new SimDsp({
    channels: [
      { id: 'mic', name: 'Mic' },
      { id: 'speaker', name: 'Speaker' },
    ],
    meterRateMs: 50,
  });
  await driver.start();
  return {
    driver,
    channels: ['mic', 'speaker'],
    setOffline: async (off) => driver.setOffline(off),
    setGarbage: async (on) => driver.setGarbage(on),
    deviceLevel: async (id) => driver.deviceLevel(id),
    teardown: () => driver.stop(),
  };
});

it('sim: unknown presets are refused like the device does', async () => {
  const driver = new SimDsp({ channels: [{ id: 'mic', name: 'Mic' }] });
  await driver.start();
  await expect(driver.recallPreset(4242)).rejects.toBeInstanceOf(DeviceRejectedError);
  await driver.stop();
});

it('createDsp picks the implementation from config', () => {
  const channels = [{ id: 'mic', name: 'Mic', muteTag: 'Mute1', levelTag: 'Level1', index: 1 }];
  expect(createDsp({ driver: 'sim', path: '/dev/null', channels }, silentLogger()).kind).toBe('sim');
  expect(createDsp({ driver: 'tesira', path: '/dev/ttyUSB9', channels }, silentLogger()).kind).toBe('tesira');
});
