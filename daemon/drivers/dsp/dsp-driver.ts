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

/** pending: not subscribed yet (or the link is down); silent: subscribed but no reading for too long. */
export const METER_STATES = ['pending', 'ok', 'silent', 'failed'] as const;
export type MeterState = (typeof METER_STATES)[number];

/** One channel's meter subscription, as the driver sees it (shown to technicians; names channel and tag). */
export interface MeterHealth {
  channel: string;
  tag: string;
  index: number;
  state: MeterState;
  /** Why it failed or went silent. */
  error?: string;
  /** Epoch ms of the last reading. */
  lastAt?: number;
  /** Times the subscription was found gone while the link stayed up (configuration pushes) and renewed. */
  renewed?: number;
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
  /** Per-channel meter health: a failed meter never takes mute and level down, so it is told here. */
  meters(): MeterHealth[];
}

export const LEVEL_RANGE_DB = { min: -100, max: 12 } as const;
