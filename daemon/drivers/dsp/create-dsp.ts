import type { Logger } from '../../../common/log.js';
import type { DspDriver, DspDriverKind } from './dsp-driver.js';
import { SimDsp } from './sim-dsp.js';
import { TesiraDsp, type TesiraChannel } from './tesira-dsp.js';

/** The slice of config the DSP needs (the `audio` section; validated at load). */
export interface DspConfig {
  driver: DspDriverKind;
  path: string;
  baudRate?: number;
  timeoutMs?: number;
  meterRateMs?: number;
  channels: TesiraChannel[];
}

/** Chooses the DSP implementation from config (convention 5). */
export function createDsp(cfg: DspConfig, logger: Logger): DspDriver {
  switch (cfg.driver) {
    case 'tesira':
      return new TesiraDsp({
        path: cfg.path,
        baudRate: cfg.baudRate,
        timeoutMs: cfg.timeoutMs,
        channels: cfg.channels,
        meterRateMs: cfg.meterRateMs,
        logger,
      });
    case 'sim':
      return new SimDsp({ channels: cfg.channels.map(({ id, name }) => ({ id, name })), meterRateMs: cfg.meterRateMs });
  }
}
