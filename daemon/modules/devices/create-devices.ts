import type { Logger } from '../../../common/log.js';
import { errorMessage } from '../../../common/errors.js';
import type { CameraConfig, Config } from '../../config/schema.js';
import type { DspDriver } from '../../drivers/dsp/dsp-driver.js';
import { createDsp } from '../../drivers/dsp/create-dsp.js';
import type { PtzDriver } from '../../drivers/ptz/ptz-driver.js';
import { createPtz } from '../../drivers/ptz/create-ptz.js';
import type { EventBus } from '../events/event-bus.js';

export interface Devices {
  cameras: Map<string, { config: CameraConfig; driver: PtzDriver }>;
  dsp: DspDriver;
  audioPresets: { id: number; name: string }[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DevicesDeps {
  cameras: Config['cameras'];
  audio: Config['audio'];
  bus: EventBus;
  logger: Logger;
}

/** Builds every driver from its config slice (factories pick the implementation). */
export function createDevices(deps: DevicesDeps): Devices {
  const cameras = deps.cameras.map((config) => ({
    config,
    driver: createPtz(config, deps.logger.child({ module: 'ptz', camera: config.id })),
  }));
  const dsp = createDsp(deps.audio, deps.logger.child({ module: 'dsp' }));
  return assembleDevices(cameras, dsp, deps.audio.presets, deps.bus, deps.logger);
}

/** Forwards the drivers' health and meter events to the bus and gives them one start/stop. */
export function assembleDevices(
  list: { config: CameraConfig; driver: PtzDriver }[],
  dsp: DspDriver,
  audioPresets: { id: number; name: string }[],
  bus: EventBus,
  logger: Logger,
): Devices {
  const cameras = new Map(list.map((c) => [c.config.id, c]));
  for (const { config, driver } of list) {
    driver.events.on('health', (health) => bus.emit('device', { device: config.id, kind: 'camera', health }));
  }
  dsp.events.on('health', (health) => bus.emit('device', { device: 'audio', kind: 'audio', health }));
  dsp.events.on('meter', (m) => bus.emit('meter', m));
  dsp.events.on('channel', (c) => bus.emit('channel', c));
  const all = () => [...list.map((c) => c.driver), dsp];
  return {
    cameras,
    dsp,
    audioPresets,
    // Drivers do not throw from start for an absent device: they go offline and retry by themselves.
    async start() {
      const results = await Promise.allSettled(all().map((d) => d.start()));
      results.forEach((r) => {
        if (r.status === 'rejected') logger.error({ err: errorMessage(r.reason) }, 'device start failed');
      });
    },
    async stop() {
      await Promise.allSettled(all().map((d) => d.stop()));
    },
  };
}
