// A Biamp Tesira on the far end of an RS-232 cable, for tests and the demo (see README.md).
import { TesiraDspSim, type TesiraDspSimOptions } from './tesira-dsp-sim.js';

export type { BlockSpec, PresetStep } from './blocks.js';
export { TesiraDspSim, type TesiraDspSimOptions } from './tesira-dsp-sim.js';

export function createTesiraDspSim(opts: TesiraDspSimOptions): TesiraDspSim {
  return new TesiraDspSim(opts);
}
