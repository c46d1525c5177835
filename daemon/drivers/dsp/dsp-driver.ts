import type { EventEmitter } from 'node:events';
import type { Health, Lifecycle } from '../../../common/lifecycle.js';

export const DSP_DRIVERS = ['tesira', 'sim'] as const;
export type DspDriverKind = (typeof DSP_DRIVERS)[number];

/** A named audio channel, mapped by config onto DSP blocks (Tesira: instance tag + index). */
export interface DspChannel {
  id: string;
  name: string;
}

export interface ChannelState {
  id: string;
  name: string;
  muted: boolean | null;
  levelDb: number | null;
}

export interface MeterReading {
  channel: string;
  db: number;
  at: number;
}

export interface DspEvents {
  health: [Health];
  meter: [MeterReading];
  channel: [ChannelState];
}

/**
 * The room's audio processor. Errors: NotFoundError (unknown channel), InvalidRequestError
 * (level out of range), DeviceUnavailableError (unplugged / timeout), DeviceRejectedError (-ERR).
 */
export interface DspDriver extends Lifecycle {
  readonly kind: DspDriverKind;
  readonly events: EventEmitter<DspEvents>;
  health(): Health;
  channels(): DspChannel[];
  getMute(channel: string): Promise<boolean>;
  setMute(channel: string, muted: boolean): Promise<void>;
  getLevel(channel: string): Promise<number>;
  setLevel(channel: string, db: number): Promise<void>;
  recallPreset(preset: number): Promise<void>;
}

export const LEVEL_RANGE_DB = { min: -100, max: 12 } as const;
