// A Sony VISCA camera on the far end of an RS-232 cable, for tests and the demo (see README.md).
import { ViscaCameraSim, type ViscaCameraSimOptions } from './visca-camera-sim.js';

export { ViscaCameraSim, type ViscaCameraSimOptions } from './visca-camera-sim.js';
export { CameraCore, type CameraCoreOptions } from './camera-core.js';

export function createViscaCameraSim(opts: ViscaCameraSimOptions): ViscaCameraSim {
  return new ViscaCameraSim(opts);
}
