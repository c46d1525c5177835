import type { Logger } from '../../../common/log.js';
import type { CameraConfig } from '../../config/schema.js';
import { presetNameMap } from '../../config/preset-names.js';
import { INSTALLER_PRESETS } from '../../../simulators/installer-presets.js';
import type { PtzDriver } from './ptz-driver.js';
import { SimPtz } from './sim-ptz.js';
import { OnvifPtz } from './onvif-ptz.js';
import { ViscaPtz } from './visca-ptz.js';

/** Chooses the PTZ implementation from config (convention 5); the config was validated at load. */
export function createPtz(cam: CameraConfig, logger: Logger): PtzDriver {
  switch (cam.driver) {
    case 'onvif':
      return new OnvifPtz({ id: cam.id, ...cam.onvif!, timeoutMs: cam.timeoutMs, logger });
    case 'visca':
      return new ViscaPtz({ id: cam.id, ...cam.visca!, timeoutMs: cam.timeoutMs, presetNames: presetNameMap(cam.presetNames), logger });
    case 'sim':
      return new SimPtz({ id: cam.id, timeoutMs: cam.timeoutMs, presets: INSTALLER_PRESETS });
  }
}
