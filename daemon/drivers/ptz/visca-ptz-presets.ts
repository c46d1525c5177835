import { InvalidRequestError, NotFoundError } from '../../../common/errors.js';
import type { PtzPreset } from './ptz-driver.js';

// VISCA cameras store positions in numbered memories but cannot list them or hold names, so the
// driver keeps the list: memories set through it plus those named in config (`presetNames`).
// Kept in memory only; a daemon restart forgets presets that are not in config.

export class ViscaPresetBook {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly count: number,
    configured: Record<string, string> = {},
  ) {
    for (const [token, name] of Object.entries(configured)) if (this.number(token) !== undefined) this.names.set(token, name);
  }

  list(): PtzPreset[] {
    return [...this.names].sort((a, b) => Number(a[0]) - Number(b[0])).map(([token, name]) => ({ token, name }));
  }

  /** Memory number of a preset that exists; NotFoundError otherwise. */
  existing(token: string, cameraId: string): number {
    const n = this.number(token);
    if (n === undefined || !this.names.has(token)) throw new NotFoundError(`camera ${cameraId} has no preset ${token}`);
    return n;
  }

  /** Memory number for setPreset: the given token (validated) or the lowest free one. */
  slot(token?: string): number {
    if (token !== undefined) {
      const n = this.number(token);
      if (n === undefined) throw new InvalidRequestError('token', `must be a preset number 0..${this.count - 1}, got "${token}"`);
      return n;
    }
    for (let n = 0; n < this.count; n++) if (!this.names.has(String(n))) return n;
    throw new InvalidRequestError('token', `all ${this.count} preset memories are in use`);
  }

  remember(n: number, name: string): string {
    const token = String(n);
    this.names.set(token, name.trim() || `Preset ${token}`);
    return token;
  }

  forget(token: string): void {
    this.names.delete(token);
  }

  private number(token: string): number | undefined {
    if (!/^\d{1,3}$/.test(token)) return undefined;
    const n = Number(token);
    return n < this.count ? n : undefined;
  }
}
