import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createPtz } from '../drivers/ptz/create-ptz.js';
import { configForSimulatedRoom } from '../../simulators/simulated-room.js';
import { INSTALLER_PRESETS } from '../../simulators/installer-presets.js';
import { validateConfig } from './load-config.js';
import { presetNameMap } from './preset-names.js';

describe('cameras[].presetNames: the presets officers see', () => {
  it('the list form keeps the order the technician wrote, numeric tokens included', () => {
    const c = validateConfig({
      cameras: [
        {
          id: 'cam1',
          presetNames: [
            { token: '12', name: 'Toàn cảnh' },
            { token: '2', name: 'Bàn công dân' },
          ],
        },
      ],
    });
    expect(c.cameras[0].presetNames).toEqual([
      { token: '12', name: 'Toàn cảnh' },
      { token: '2', name: 'Bàn công dân' },
    ]);
    expect(presetNameMap(c.cameras[0].presetNames)).toEqual({ '2': 'Bàn công dân', '12': 'Toàn cảnh' });
  });

  it('an older {"token": "name"} map (and config init\'s empty {}) still loads, as the list', () => {
    const c = validateConfig({
      cameras: [
        { id: 'cam1', presetNames: { '3': 'Tài liệu', '1': 'Công dân' } },
        { id: 'cam2', presetNames: {} },
      ],
    });
    expect(c.cameras[0].presetNames).toEqual([
      { token: '1', name: 'Công dân' },
      { token: '3', name: 'Tài liệu' },
    ]);
    expect(c.cameras[1].presetNames).toEqual([]);
  });

  it('a token named twice or an empty name is refused at load, naming the field', () => {
    const twice = {
      id: 'cam1',
      presetNames: [
        { token: '1', name: 'A' },
        { token: '1', name: 'B' },
      ],
    };
    expect(() => validateConfig({ cameras: [twice] })).toThrow(/\/cameras\/0\/presetNames: preset token "1" named twice/);
    expect(() => validateConfig({ cameras: [{ id: 'cam1', presetNames: [{ token: '1', name: '' }] }] })).toThrow(
      /\/cameras\/0\/presetNames/,
    );
  });

  it('`reception config init` (the defaults) names presets the in-process sim camera really holds', async () => {
    const cam = validateConfig({}).cameras[0];
    const named = cam.presetNames;
    expect(named.length).toBeGreaterThan(0);
    const driver = createPtz(cam, silentLogger());
    await driver.start();
    const tokens = (await driver.presets()).map((p) => p.token);
    for (const p of named) expect(tokens).toContain(p.token);
    await driver.stop();
  });

  it('the demo room config names the simulated cameras’ installer presets on both cameras, in order', () => {
    const e = {
      onvif: { xaddr: 'http://127.0.0.1:1/onvif/device_service', username: 'u', password: 'p', rtsp: null, discoveryPort: null },
      visca: { device: '/dev/null' },
      tesira: { device: '/dev/null' },
      control: 'http://127.0.0.1:2',
    };
    const o = {
      roomId: 'room-demo',
      roomName: 'Phòng',
      apiPort: 1,
      stateDir: '/tmp/x',
      hubUrl: 'ws://h',
      gatewayPort: 2,
      videoRtpPort: 3,
      audioRtpPort: 4,
    };
    const c = validateConfig(configForSimulatedRoom(e, o));
    for (const cam of c.cameras) expect(cam.presetNames.map((p) => p.token)).toEqual(INSTALLER_PRESETS.map((p) => p.token));
  });
});

describe('audioFollow moves the camera to named presets only', () => {
  it('a rule or whole-room preset the room never named is refused at load, naming the field', () => {
    const audioFollow = { enabled: true, rules: [{ channel: 'mic', preset: '94' }], roomPreset: '7' };
    expect(() => validateConfig({ audioFollow })).toThrow(
      /\/audioFollow\/roomPreset: preset "7" is not one of camera "cam1"'s named presets/,
    );
    expect(() => validateConfig({ audioFollow })).toThrow(/\/audioFollow\/rules\/0\/preset: preset "94"/);
    expect(
      validateConfig({ audioFollow: { ...audioFollow, rules: [{ channel: 'mic', preset: '1' }], roomPreset: '2' } }).audioFollow.enabled,
    ).toBe(true);
  });
});
