import { BROADCAST, fromNibbles, TERMINATOR } from './frames.js';
import { MEMORY_ACTIONS, type Direction, type MemoryAction } from './commands.js';

// The camera's side of the protocol: what a packet from the controller asks for. Used by the simulator
// (and by anyone sniffing a line); kept beside the encoders so both directions are tested together.

export type ViscaCommand =
  | { kind: 'pan-tilt-drive'; pan: Direction; tilt: Direction; panSpeed: number; tiltSpeed: number }
  | { kind: 'absolute-position' | 'relative-position'; pan: number; tilt: number; panSpeed: number; tiltSpeed: number }
  | { kind: 'home' | 'pan-tilt-reset' | 'zoom-stop' | 'if-clear' }
  | { kind: 'zoom-tele' | 'zoom-wide'; speed?: number }
  | { kind: 'zoom-direct'; position: number }
  | { kind: 'memory'; action: MemoryAction; preset: number }
  | { kind: 'pan-tilt-pos-inq' | 'zoom-pos-inq' | 'version-inq' }
  | { kind: 'cancel'; socket: number }
  | { kind: 'address-set'; address: number };

export type DecodedCommand =
  | { address: number; command: ViscaCommand }
  /** Well-framed packet whose content we do not understand: the camera answers "syntax error". */
  | { address: number; command: undefined };

const nib = (b: number) => b <= 0x0f;
const same = (a: ArrayLike<number>, b: number[]) => a.length === b.length && b.every((x, i) => a[i] === x);

/** Decodes a controller → camera packet; undefined when the packet is not addressed like a command. */
export function decodeCommand(f: Uint8Array): DecodedCommand | undefined {
  if (f.length < 3 || f[f.length - 1] !== TERMINATOR || f[0] < 0x81 || f[0] > 0x88) return undefined;
  const address = f[0] & 0x0f;
  if (address === 0 || address > BROADCAST) return undefined;
  return { address, command: body(f.slice(1, -1)) };
}

function body(b: Uint8Array): ViscaCommand | undefined {
  if (b.length === 1 && (b[0] & 0xf0) === 0x20) return { kind: 'cancel', socket: b[0] & 0x0f };
  if (b.length === 2 && b[0] === 0x30 && b[1] >= 1 && b[1] <= 7) return { kind: 'address-set', address: b[1] };
  if (same(b, [0x01, 0x00, 0x01])) return { kind: 'if-clear' };
  if (same(b, [0x09, 0x06, 0x12])) return { kind: 'pan-tilt-pos-inq' };
  if (same(b, [0x09, 0x04, 0x47])) return { kind: 'zoom-pos-inq' };
  if (same(b, [0x09, 0x00, 0x02])) return { kind: 'version-inq' };
  if (same(b, [0x01, 0x06, 0x04])) return { kind: 'home' };
  if (same(b, [0x01, 0x06, 0x05])) return { kind: 'pan-tilt-reset' };
  if (b[0] === 0x01 && b[1] === 0x06) return panTilt(b);
  if (b[0] === 0x01 && b[1] === 0x04) return camera(b);
  return undefined;
}

function panTilt(b: Uint8Array): ViscaCommand | undefined {
  const [, , sub, panSpeed, tiltSpeed] = b;
  if (sub === 0x01 && b.length === 7) {
    const dir = (v: number, neg: number, pos: number): Direction | undefined => (v === neg ? -1 : v === pos ? 1 : v === 3 ? 0 : undefined);
    const pan = dir(b[5], 0x01, 0x02);
    const tilt = dir(b[6], 0x02, 0x01);
    if (pan === undefined || tilt === undefined) return undefined;
    return { kind: 'pan-tilt-drive', pan, tilt, panSpeed, tiltSpeed };
  }
  if ((sub === 0x02 || sub === 0x03) && b.length === 13 && b.slice(5).every(nib)) {
    const kind = sub === 0x02 ? 'absolute-position' : 'relative-position';
    return { kind, panSpeed, tiltSpeed, pan: fromNibbles(b.slice(5, 9)), tilt: fromNibbles(b.slice(9, 13)) };
  }
  return undefined;
}

function camera(b: Uint8Array): ViscaCommand | undefined {
  if (b[2] === 0x07 && b.length === 4) {
    const v = b[3];
    if (v === 0x00) return { kind: 'zoom-stop' };
    if (v === 0x02) return { kind: 'zoom-tele' };
    if (v === 0x03) return { kind: 'zoom-wide' };
    if ((v & 0xf0) === 0x20 && (v & 0x0f) <= 7) return { kind: 'zoom-tele', speed: v & 0x0f };
    if ((v & 0xf0) === 0x30 && (v & 0x0f) <= 7) return { kind: 'zoom-wide', speed: v & 0x0f };
  }
  if (b[2] === 0x47 && b.length === 7 && b.slice(3).every(nib)) return { kind: 'zoom-direct', position: fromNibbles(b.slice(3), false) };
  if (b[2] === 0x3f && b.length === 5 && b[3] <= 2 && b[4] <= 0x7f) return { kind: 'memory', action: MEMORY_ACTIONS[b[3]], preset: b[4] };
  return undefined;
}
