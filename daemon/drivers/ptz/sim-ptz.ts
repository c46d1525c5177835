import { EventEmitter } from 'node:events';
import { HealthTracker } from '../../../common/lifecycle.js';
import { DeviceUnavailableError, NotFoundError } from '../../../common/errors.js';
import { sleep } from '../../../common/timeout.js';
import { PtzModel } from '../../../simulators/ptz-model/ptz-model.js';
import {
  FULL_RANGE,
  type CameraInfo,
  type PtzDriver,
  type PtzEvents,
  type PtzLimits,
  type PtzPreset,
  type PtzStatus,
  type PtzVector,
} from './ptz-driver.js';
import { checkPosition, checkSpeed, checkVelocity } from './ptz-validate.js';

export interface SimPtzOptions {
  id: string;
  /** Answer delay; the fault control "answer slowly". */
  latencyMs?: number;
  timeoutMs?: number;
  /** Preset memories the camera starts with (the installer's shots), as a camera left by the technician. */
  presets?: ReadonlyArray<{ token: string; name: string; position: PtzVector }>;
}

/** In-process simulated camera: the embedded default when no hardware is configured. */
export class SimPtz implements PtzDriver {
  readonly kind = 'sim' as const;
  readonly events = new EventEmitter<PtzEvents>();
  readonly model = new PtzModel();
  readonly faults = { offline: false, latencyMs: 0 };
  private readonly tracker = new HealthTracker((h) => this.events.emit('health', h));
  private haltTimer?: NodeJS.Timeout;

  constructor(private readonly opts: SimPtzOptions) {
    this.faults.latencyMs = opts.latencyMs ?? 0;
    for (const p of opts.presets ?? []) this.model.setPreset(p.name, p.token, p.position);
  }

  get id() {
    return this.opts.id;
  }

  async start() {
    this.tracker.set('online');
  }

  async stop() {
    clearTimeout(this.haltTimer);
    this.tracker.set('stopped');
  }

  limits(): PtzLimits {
    return FULL_RANGE;
  }

  health() {
    return this.tracker.get();
  }

  setOffline(offline: boolean) {
    this.faults.offline = offline;
    this.tracker.set(offline ? 'offline' : 'online', offline ? 'simulated outage' : undefined);
  }

  async info(): Promise<CameraInfo> {
    await this.answer();
    return { manufacturer: 'Simulated', model: 'SIM-PTZ', firmwareVersion: '1.0', serialNumber: `SIM-${this.id}` };
  }

  async streamUri() {
    await this.answer();
    return null;
  }

  async status(): Promise<PtzStatus> {
    await this.answer();
    const moving = this.model.moving();
    return {
      position: this.model.position(),
      moveStatus: { panTilt: moving.panTilt ? 'MOVING' : 'IDLE', zoom: moving.zoom ? 'MOVING' : 'IDLE' },
      utcTime: new Date().toISOString(),
    };
  }

  async continuousMove(velocity: PtzVector, timeoutMs?: number) {
    checkVelocity(velocity);
    await this.answer();
    this.model.continuous(velocity, timeoutMs ?? Infinity);
  }

  async halt() {
    await this.answer();
    this.model.stop();
  }

  async absoluteMove(position: PtzVector, speed?: number) {
    checkPosition(position);
    checkSpeed(speed);
    await this.answer();
    this.model.moveTo(position, speed);
  }

  async relativeMove(delta: PtzVector, speed?: number) {
    checkVelocity(delta, 'delta');
    checkSpeed(speed);
    await this.answer();
    this.model.moveBy(delta, speed);
  }

  async home() {
    await this.answer();
    this.model.moveTo({ pan: 0, tilt: 0, zoom: 0 });
  }

  async presets(): Promise<PtzPreset[]> {
    await this.answer();
    return this.model.presets();
  }

  async gotoPreset(token: string, speed?: number) {
    checkSpeed(speed);
    await this.answer();
    const preset = this.model.preset(token);
    if (!preset) throw new NotFoundError(`camera ${this.id} has no preset ${token}`);
    this.model.moveTo(preset.position, speed);
  }

  async setPreset(name: string, token?: string) {
    await this.answer();
    return this.model.setPreset(name, token);
  }

  async removePreset(token: string) {
    await this.answer();
    if (!this.model.removePreset(token)) throw new NotFoundError(`camera ${this.id} has no preset ${token}`);
  }

  private async answer() {
    const timeoutMs = this.opts.timeoutMs ?? 1500;
    if (this.faults.offline) throw new DeviceUnavailableError(this.id, 'simulated outage');
    if (this.faults.latencyMs > timeoutMs) {
      await sleep(timeoutMs);
      throw new DeviceUnavailableError(this.id, `request timed out after ${timeoutMs} ms`);
    }
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
  }
}
