import { BROADCAST, commandHeader, packet, toNibbles } from './frames.js';

// Command encoders (Sony VISCA command list: EVI-D70 / EVI-H100S / BRC-H900 technical manuals).
// Every function returns one complete packet including the header and the 0xFF terminator.

export const PAN_SPEED = { min: 0x01, max: 0x18 } as const;
export const TILT_SPEED = { min: 0x01, max: 0x14 } as const;
export const ZOOM_SPEED = { min: 0, max: 7 } as const;

/** -1 = left / down, 0 = stop, 1 = right / up. */
export type Direction = -1 | 0 | 1;

export interface DriveSpeeds {
  panSpeed: number;
  tiltSpeed: number;
}

function speedByte(v: number, range: { min: number; max: number }, name: string): number {
  if (!Number.isInteger(v) || v < range.min || v > range.max) throw new RangeError(`${name} must be ${range.min}..${range.max}, got ${v}`);
  return v;
}

const speeds = (s: DriveSpeeds) => [speedByte(s.panSpeed, PAN_SPEED, 'pan speed'), speedByte(s.tiltSpeed, TILT_SPEED, 'tilt speed')];

/** Pan-tiltDrive: 8x 01 06 01 VV WW 0Y 0Z FF. Y: 01 left, 02 right, 03 stop; Z: 01 up, 02 down, 03 stop. */
export function panTiltDrive(address: number, pan: Direction, tilt: Direction, s: DriveSpeeds): Uint8Array {
  const y = pan < 0 ? 0x01 : pan > 0 ? 0x02 : 0x03;
  const z = tilt > 0 ? 0x01 : tilt < 0 ? 0x02 : 0x03;
  return packet(commandHeader(address), 0x01, 0x06, 0x01, ...speeds(s), y, z);
}

export const panTiltStop = (address: number) => panTiltDrive(address, 0, 0, { panSpeed: PAN_SPEED.max, tiltSpeed: TILT_SPEED.max });

/** Pan-tiltDrive AbsolutePosition: 8x 01 06 02 VV WW 0Y 0Y 0Y 0Y 0Z 0Z 0Z 0Z FF (signed 16-bit positions). */
export function absolutePosition(address: number, pan: number, tilt: number, s: DriveSpeeds): Uint8Array {
  return packet(commandHeader(address), 0x01, 0x06, 0x02, ...speeds(s), ...toNibbles(pan), ...toNibbles(tilt));
}

/** Pan-tiltDrive RelativePosition: 8x 01 06 03 VV WW 0Y×4 0Z×4 FF. */
export function relativePosition(address: number, pan: number, tilt: number, s: DriveSpeeds): Uint8Array {
  return packet(commandHeader(address), 0x01, 0x06, 0x03, ...speeds(s), ...toNibbles(pan), ...toNibbles(tilt));
}

export const home = (address: number) => packet(commandHeader(address), 0x01, 0x06, 0x04);
export const panTiltReset = (address: number) => packet(commandHeader(address), 0x01, 0x06, 0x05);

/** CAM_Zoom Stop 8x 01 04 07 00 FF. */
export const zoomStop = (address: number) => packet(commandHeader(address), 0x01, 0x04, 0x07, 0x00);

/** CAM_Zoom Tele: standard (02) or variable 2p, p = 0 (slow) .. 7 (fast). */
export function zoomTele(address: number, p?: number): Uint8Array {
  return packet(commandHeader(address), 0x01, 0x04, 0x07, p === undefined ? 0x02 : 0x20 | speedByte(p, ZOOM_SPEED, 'zoom speed'));
}

/** CAM_Zoom Wide: standard (03) or variable 3p. */
export function zoomWide(address: number, p?: number): Uint8Array {
  return packet(commandHeader(address), 0x01, 0x04, 0x07, p === undefined ? 0x03 : 0x30 | speedByte(p, ZOOM_SPEED, 'zoom speed'));
}

/** CAM_Zoom Direct: 8x 01 04 47 0p 0q 0r 0s FF (unsigned position). */
export const zoomDirect = (address: number, position: number) => packet(commandHeader(address), 0x01, 0x04, 0x47, ...toNibbles(position));

export const MEMORY_ACTIONS = ['reset', 'set', 'recall'] as const;
export type MemoryAction = (typeof MEMORY_ACTIONS)[number];

/** CAM_Memory: 8x 01 04 3F 0p pp FF (p: 0 reset, 1 set, 2 recall; pp: preset number, model-dependent max). */
export function memory(address: number, action: MemoryAction, preset: number, maxPreset = 127): Uint8Array {
  if (!Number.isInteger(preset) || preset < 0 || preset > maxPreset) throw new RangeError(`preset must be 0..${maxPreset}, got ${preset}`);
  return packet(commandHeader(address), 0x01, 0x04, 0x3f, MEMORY_ACTIONS.indexOf(action), preset);
}

export const panTiltPosInq = (address: number) => packet(commandHeader(address), 0x09, 0x06, 0x12);
export const zoomPosInq = (address: number) => packet(commandHeader(address), 0x09, 0x04, 0x47);
export const versionInq = (address: number) => packet(commandHeader(address), 0x09, 0x00, 0x02);

/** Cancel the command running in socket 1 or 2: 8x 2z FF. */
export const cancel = (address: number, socket: number) => packet(commandHeader(address), 0x20 | (socket & 0x0f));

/** IF_Clear for one camera (8x 01 00 01 FF) or broadcast (88 01 00 01 FF): empties command buffers. */
export const ifClear = (address: number = BROADCAST) => packet(commandHeader(address), 0x01, 0x00, 0x01);

/** AddressSet broadcast 88 30 01 FF: the first camera takes address 1 and passes 88 30 02 FF on. */
export const addressSet = (first = 1) => packet(0x88, 0x30, first);
