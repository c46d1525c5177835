import type { EventEmitter } from 'node:events';
import type { Health, Lifecycle } from '../../../common/lifecycle.js';

// Units follow ONVIF's generic spaces so every driver speaks the same numbers:
// pan and tilt in [-1, 1], zoom in [0, 1]; velocities in [-1, 1]; speed in (0, 1].

export const PTZ_DRIVERS = ['onvif', 'visca', 'sim'] as const;
export type PtzDriverKind = (typeof PTZ_DRIVERS)[number];

export const MOVE_STATES = ['IDLE', 'MOVING', 'UNKNOWN'] as const;
export type MoveState = (typeof MOVE_STATES)[number];

export interface PtzVector {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface PtzStatus {
  position: PtzVector;
  moveStatus: { panTilt: MoveState; zoom: MoveState };
  /** Camera clock, when it reports one. */
  utcTime?: string;
}

export interface PtzPreset {
  token: string;
  name: string;
  position?: PtzVector;
  /** Set when the token is a vendor function (reboot, OSD menu, scan…), not a stored view: what it does. */
  function?: string;
}

export interface Range {
  min: number;
  max: number;
}

/** What the camera can reach, in the generic units above (ONVIF: its PTZ node spaces and configuration limits). */
export interface PtzLimits {
  pan: Range;
  tilt: Range;
  zoom: Range;
}

export const FULL_RANGE: PtzLimits = { pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: 0, max: 1 } };

export interface CameraInfo {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
}

export interface PtzEvents {
  health: [Health];
}

/**
 * One PTZ camera. Errors: NotFoundError (unknown preset), InvalidRequestError (value out of range),
 * DeviceUnavailableError (offline / timeout / unplugged), DeviceRejectedError (fault reply).
 * No method may hang longer than the driver's configured timeout.
 */
export interface PtzDriver extends Lifecycle {
  readonly id: string;
  readonly kind: PtzDriverKind;
  readonly events: EventEmitter<PtzEvents>;
  health(): Health;
  /** The reachable range, read from the camera at connect (FULL_RANGE for protocols without limits). */
  limits(): PtzLimits;
  info(): Promise<CameraInfo>;
  /** RTSP URI of the main stream, or null when the camera has none (VISCA: video comes over SDI/HDMI). */
  streamUri(): Promise<string | null>;
  status(): Promise<PtzStatus>;
  /** Move at the given velocity until `halt()` or, when given, `timeoutMs`. */
  continuousMove(velocity: PtzVector, timeoutMs?: number): Promise<void>;
  halt(): Promise<void>;
  absoluteMove(position: PtzVector, speed?: number): Promise<void>;
  relativeMove(delta: PtzVector, speed?: number): Promise<void>;
  home(): Promise<void>;
  presets(): Promise<PtzPreset[]>;
  gotoPreset(token: string, speed?: number): Promise<void>;
  /** Stores the current position; overwrites `token` when given. Returns the preset token. */
  setPreset(name: string, token?: string): Promise<string>;
  removePreset(token: string): Promise<void>;
  /**
   * Cameras that can (ONVIF Media SetSynchronizationPoint): an I-frame now on the stream of streamUri(), so a
   * receiver joining a passthrough stream decodes without waiting for the GOP. Never rejects; see onvif/sync-point.ts.
   */
  requestSyncPoint?(): Promise<'sent' | 'merged' | 'refused' | 'failed'>;
}
