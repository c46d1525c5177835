import { InvalidRequestError, NotFoundError } from '../../../common/errors.js';
import { LEVEL_RANGE_DB } from './dsp-driver.js';

// Checks every DspDriver makes before touching the device, so all implementations refuse alike.

export function findChannel<C extends { id: string }>(channels: readonly C[], id: string): C {
  const ch = channels.find((c) => c.id === id);
  if (!ch) throw new NotFoundError(`audio channel "${id}" does not exist`);
  return ch;
}

export function checkLevel(db: number): void {
  if (typeof db !== 'number' || !Number.isFinite(db) || db < LEVEL_RANGE_DB.min || db > LEVEL_RANGE_DB.max)
    throw new InvalidRequestError('db', `must be between ${LEVEL_RANGE_DB.min} and ${LEVEL_RANGE_DB.max} dB`);
}

/** Tesira preset ids are integers from 1001 to 9999. */
export function checkPreset(preset: number): void {
  if (!Number.isInteger(preset) || preset < 1001 || preset > 9999)
    throw new InvalidRequestError('preset', 'must be an integer from 1001 to 9999');
}

export function checkMuted(muted: boolean): void {
  if (typeof muted !== 'boolean') throw new InvalidRequestError('muted', 'must be true or false');
}
