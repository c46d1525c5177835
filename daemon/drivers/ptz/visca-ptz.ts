import { EventEmitter } from 'node:events';
import { DeviceUnavailableError, errorMessage } from '../../../common/errors.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import { silentLogger, type Logger } from '../../../common/log.js';
import * as v from '../../../common/protocols/visca/index.js';
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
import type { AxisGroup, ViscaRequest } from './visca-ptz-exchange.js';
import { ViscaLink } from './visca-link.js';
import { ViscaPresetBook } from './visca-ptz-presets.js';

export interface ViscaPtzOptions {
  id: string;
  /** Serial device, e.g. /dev/ttyUSB0 (or a socat pty in tests). */
  path: string;
  baudRate?: number;
  /** Camera address on the daisy chain, 1..7. */
  address?: number;
  /** Longest wait for one driver call (default 1500 ms). */
  timeoutMs?: number;
  /** Names for preset memories stored on the camera by an installer (token "0".."15" → name). */
  presetNames?: Record<string, string>;
  logger?: Logger;
  /** Position ranges of the camera model (default: pan ±0x0990, tilt ±0x0510, zoom 0..0x4000). */
  ranges?: v.ViscaRanges;
  /** How many preset memories the model has (default 16: tokens "0".."15"; BRC models: 128). */
  presetCount?: number;
}

/** A Sony VISCA camera on RS-232. Video comes over SDI/HDMI, so streamUri() is null. */
export class ViscaPtz implements PtzDriver {
  readonly kind = 'visca' as const;
  readonly events = new EventEmitter<PtzEvents>();
  private readonly tracker = new HealthTracker((h) => this.events.emit('health', h));
  private readonly link: ViscaLink;
  private readonly book: ViscaPresetBook;
  private readonly address: number;
  private readonly r: v.ViscaRanges;
  private readonly log: Logger;
  private readonly continuous = { panTilt: false, zoom: false };
  private haltTimer?: NodeJS.Timeout;

  constructor(private readonly opts: ViscaPtzOptions) {
    this.address = v.checkAddress(opts.address ?? 1);
    this.r = opts.ranges ?? v.DEFAULT_RANGES;
    this.log = (opts.logger ?? silentLogger()).child({ module: 'visca-ptz', camera: opts.id });
    this.book = new ViscaPresetBook(opts.presetCount ?? 16, opts.presetNames);
    this.link = new ViscaLink({
      id: opts.id,
      path: opts.path,
      baudRate: opts.baudRate ?? 9600,
      address: this.address,
      tracker: this.tracker,
      logger: this.log,
      probe: () => this.version(Date.now() + this.timeoutMs),
    });
  }

  get id() {
    return this.opts.id;
  }

  private get timeoutMs() {
    return this.opts.timeoutMs ?? 1500;
  }

  async start() {
    this.tracker.set('starting');
    await this.link.start();
  }

  async stop() {
    clearTimeout(this.haltTimer);
    await this.link.stop();
    this.tracker.set('stopped');
  }

  limits(): PtzLimits {
    return FULL_RANGE;
  }

  health() {
    return this.tracker.get();
  }

  async info(): Promise<CameraInfo> {
    const ver = await this.version(this.deadline());
    const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
    return {
      manufacturer: v.VENDORS[ver.vendorId] ?? `VISCA vendor ${hex4(ver.vendorId)}`,
      model: `VISCA model ${hex4(ver.modelId)}`,
      firmwareVersion: hex4(ver.romVersion),
      serialNumber: '', // VISCA has no serial-number inquiry
    };
  }

  async streamUri() {
    return null;
  }

  async status(): Promise<PtzStatus> {
    const raw = await this.rawPosition(this.deadline());
    const state = (g: AxisGroup) => (this.link.busy(g) || this.continuous[g] ? 'MOVING' : 'IDLE');
    return {
      position: { pan: v.panFromVisca(raw.pan, this.r), tilt: v.tiltFromVisca(raw.tilt, this.r), zoom: v.zoomFromVisca(raw.zoom, this.r) },
      moveStatus: { panTilt: state('panTilt'), zoom: state('zoom') },
    };
  }

  async continuousMove(velocity: PtzVector, timeoutMs?: number) {
    checkVelocity(velocity);
    const d = this.deadline();
    const sign = (x: number) => Math.sign(x) as v.Direction;
    const ptSpeed = {
      panSpeed: v.speedToVisca(Math.abs(velocity.pan) || 1).panSpeed,
      tiltSpeed: v.speedToVisca(Math.abs(velocity.tilt) || 1).tiltSpeed,
    };
    this.stopHaltTimer();
    await this.send(v.panTiltDrive(this.address, sign(velocity.pan), sign(velocity.tilt), ptSpeed), 'completion', d);
    this.continuous.panTilt = velocity.pan !== 0 || velocity.tilt !== 0;
    const p = v.zoomSpeedToVisca(velocity.zoom);
    const zoom =
      velocity.zoom > 0 ? v.zoomTele(this.address, p) : velocity.zoom < 0 ? v.zoomWide(this.address, p) : v.zoomStop(this.address);
    await this.send(zoom, 'completion', d);
    this.continuous.zoom = velocity.zoom !== 0;
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      this.haltTimer = setTimeout(
        () => this.halt().catch((e) => this.log.warn({ err: errorMessage(e) }, 'timed stop failed')),
        Math.max(0, timeoutMs),
      );
    }
  }

  async halt() {
    this.stopHaltTimer();
    const d = this.deadline();
    await this.send(v.panTiltStop(this.address), 'completion', d);
    this.continuous.panTilt = false;
    await this.send(v.zoomStop(this.address), 'completion', d);
    this.continuous.zoom = false;
  }

  async absoluteMove(p: PtzVector, speed?: number) {
    checkPosition(p);
    checkSpeed(speed);
    const d = this.begin();
    const s = v.speedToVisca(speed);
    await this.move(v.absolutePosition(this.address, v.panToVisca(p.pan, this.r), v.tiltToVisca(p.tilt, this.r), s), ['panTilt'], d);
    await this.move(v.zoomDirect(this.address, v.zoomToVisca(p.zoom, this.r)), ['zoom'], d);
  }

  /** VISCA has no relative zoom and tilt ranges may be asymmetric, so the target is computed from the current position. */
  async relativeMove(delta: PtzVector, speed?: number) {
    checkVelocity(delta, 'delta');
    checkSpeed(speed);
    const d = this.begin();
    const cur = await this.rawPosition(d);
    const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
    const pan = v.panToVisca(clamp(v.panFromVisca(cur.pan, this.r) + delta.pan, -1, 1), this.r) - cur.pan;
    const tilt = v.tiltToVisca(clamp(v.tiltFromVisca(cur.tilt, this.r) + delta.tilt, -1, 1), this.r) - cur.tilt;
    if (pan !== 0 || tilt !== 0) await this.move(v.relativePosition(this.address, pan, tilt, v.speedToVisca(speed)), ['panTilt'], d);
    if (delta.zoom !== 0) {
      const zoom = v.zoomToVisca(clamp(v.zoomFromVisca(cur.zoom, this.r) + delta.zoom, 0, 1), this.r);
      await this.move(v.zoomDirect(this.address, zoom), ['zoom'], d);
    }
  }

  /** VISCA Home centres pan/tilt only; zoom goes to the wide end to match the other drivers' home. */
  async home() {
    const d = this.begin();
    await this.move(v.home(this.address), ['panTilt'], d);
    await this.move(v.zoomDirect(this.address, 0), ['zoom'], d);
  }

  async presets(): Promise<PtzPreset[]> {
    return this.book.list();
  }

  async gotoPreset(token: string, speed?: number) {
    checkSpeed(speed); // VISCA recall has no speed; the camera's preset speed setting applies
    const n = this.book.existing(token, this.id);
    await this.move(v.memory(this.address, 'recall', n), ['panTilt', 'zoom'], this.begin());
  }

  async setPreset(name: string, token?: string) {
    const n = this.book.slot(token);
    await this.send(v.memory(this.address, 'set', n), 'completion', this.deadline());
    return this.book.remember(n, name);
  }

  async removePreset(token: string) {
    const n = this.book.existing(token, this.id);
    await this.send(v.memory(this.address, 'reset', n), 'completion', this.deadline());
    this.book.forget(token);
  }

  private deadline() {
    return Date.now() + this.timeoutMs;
  }

  /** A positioning command replaces any continuous drive on the camera. */
  private begin() {
    this.stopHaltTimer();
    this.continuous.panTilt = this.continuous.zoom = false;
    return this.deadline();
  }

  private stopHaltTimer() {
    clearTimeout(this.haltTimer);
    this.haltTimer = undefined;
  }

  private send(frame: Uint8Array, until: ViscaRequest['until'], deadline: number) {
    return this.link.request({ frame, until, deadline });
  }

  private move(frame: Uint8Array, track: AxisGroup[], deadline: number) {
    return this.link.request({ frame, until: 'ack', track, deadline });
  }

  private async inquire<T>(
    frame: Uint8Array,
    payloadLength: number,
    decode: (p: Uint8Array) => T | undefined,
    deadline: number,
  ): Promise<T> {
    const r = await this.link.request({ frame, until: 'inquiry', payloadLength, idempotent: true, deadline });
    const value = r.type === 'completion' ? decode(r.payload) : undefined;
    if (value === undefined) throw new DeviceUnavailableError(this.id, `malformed inquiry reply`);
    return value;
  }

  private async rawPosition(deadline: number) {
    const pt = await this.inquire(v.panTiltPosInq(this.address), 8, v.decodePanTiltPos, deadline);
    const zoom = await this.inquire(v.zoomPosInq(this.address), 4, v.decodeZoomPos, deadline);
    return { ...pt, zoom };
  }

  private version(deadline: number) {
    return this.inquire(v.versionInq(this.address), 7, v.decodeVersion, deadline);
  }
}
