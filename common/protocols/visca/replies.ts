import { fromNibbles, packet, replyAddress, replyHeader, TERMINATOR, toNibbles } from './frames.js';

// Replies from the camera: ACK y0 4z FF, Completion y0 5z [payload] FF, Error y0 6z ee FF,
// plus the two broadcast echoes (88 30 0p FF after AddressSet, 88 01 00 01 FF after IF_Clear).

export const VISCA_ERRORS = {
  0x01: 'message length error',
  0x02: 'syntax error',
  0x03: 'command buffer full',
  0x04: 'command cancelled',
  0x05: 'no socket',
  0x41: 'command not executable',
} as const;
export type ViscaErrorCode = keyof typeof VISCA_ERRORS;

export type ViscaReply =
  | { type: 'ack'; address: number; socket: number }
  | { type: 'completion'; address: number; socket: number; payload: Uint8Array }
  | { type: 'error'; address: number; socket: number; code: number; reason: string }
  | { type: 'address-set'; next: number }
  | { type: 'if-clear' };

/** Decodes one packet from the splitter; undefined when it is not a well-formed reply. */
export function decodeReply(f: Uint8Array): ViscaReply | undefined {
  if (f.length < 3 || f[f.length - 1] !== TERMINATOR) return undefined;
  if (f[0] === 0x88) {
    if (f.length === 4 && f[1] === 0x30 && f[2] >= 1 && f[2] <= 8) return { type: 'address-set', next: f[2] };
    if (f.length === 5 && f[1] === 0x01 && f[2] === 0x00 && f[3] === 0x01) return { type: 'if-clear' };
    return undefined;
  }
  const address = replyAddress(f[0]);
  if (address === undefined) return undefined;
  const kind = f[1] & 0xf0;
  const socket = f[1] & 0x0f;
  if (kind === 0x40 && f.length === 3 && socket > 0) return { type: 'ack', address, socket };
  if (kind === 0x50) {
    const payload = f.slice(2, -1);
    if (payload.some((b) => b === TERMINATOR)) return undefined;
    return { type: 'completion', address, socket, payload };
  }
  if (kind === 0x60 && f.length === 4) {
    const reason = VISCA_ERRORS[f[2] as ViscaErrorCode];
    return reason ? { type: 'error', address, socket, code: f[2], reason } : undefined;
  }
  return undefined;
}

export const ackReply = (address: number, socket: number) => packet(replyHeader(address), 0x40 | socket);
export const completionReply = (address: number, socket: number, payload: number[] = []) =>
  packet(replyHeader(address), 0x50 | socket, ...payload);
export const errorReply = (address: number, socket: number, code: ViscaErrorCode) => packet(replyHeader(address), 0x60 | socket, code);

/** Pan-tiltPosInq reply payload: 0w 0w 0w 0w 0z 0z 0z 0z (signed pan, tilt). */
export function decodePanTiltPos(payload: Uint8Array): { pan: number; tilt: number } | undefined {
  if (payload.length !== 8 || payload.some((b) => b > 0x0f)) return undefined;
  return { pan: fromNibbles(payload.slice(0, 4)), tilt: fromNibbles(payload.slice(4, 8)) };
}

export const panTiltPosPayload = (pan: number, tilt: number) => [...toNibbles(pan), ...toNibbles(tilt)];

/** CAM_ZoomPosInq reply payload: 0p 0q 0r 0s (unsigned). */
export function decodeZoomPos(payload: Uint8Array): number | undefined {
  if (payload.length !== 4 || payload.some((b) => b > 0x0f)) return undefined;
  return fromNibbles(payload, false);
}

export const zoomPosPayload = (zoom: number) => toNibbles(zoom);

export interface ViscaVersion {
  /** 0x0020 = Sony. */
  vendorId: number;
  modelId: number;
  romVersion: number;
  /** Highest socket number (2 on Sony cameras). */
  maxSocket: number;
}

/** CAM_VersionInq reply payload: ab cd mn pq rs tu vw (vendor, model, ROM version, socket count). */
export function decodeVersion(payload: Uint8Array): ViscaVersion | undefined {
  if (payload.length !== 7) return undefined;
  const word = (i: number) => (payload[i] << 8) | payload[i + 1];
  return { vendorId: word(0), modelId: word(2), romVersion: word(4), maxSocket: payload[6] };
}

export const versionPayload = (v: ViscaVersion) => [
  v.vendorId >> 8,
  v.vendorId & 0xff,
  v.modelId >> 8,
  v.modelId & 0xff,
  v.romVersion >> 8,
  v.romVersion & 0xff,
  v.maxSocket,
];

export const VENDORS: Record<number, string> = { 0x0020: 'Sony' };
