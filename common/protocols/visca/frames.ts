// VISCA framing: a packet is 3..16 bytes, starts with a header byte (bit 7 set) and ends with 0xFF.
// Controller → camera header: 0x80 | address (1..7; 8 = broadcast). Camera → controller: (address + 8) << 4.

export const TERMINATOR = 0xff;
export const MAX_PACKET = 16;
export const BROADCAST = 8;

export function checkAddress(address: number): number {
  if (!Number.isInteger(address) || address < 1 || address > 7) throw new RangeError(`VISCA address must be 1..7, got ${address}`);
  return address;
}

/** Header byte of a command sent to `address` (0x81 for camera 1, 0x88 broadcast). */
export const commandHeader = (address: number) => 0x80 | (address === BROADCAST ? BROADCAST : checkAddress(address));

/** Header byte of a reply from camera `address` (0x90 for camera 1). */
export const replyHeader = (address: number) => (checkAddress(address) + 8) << 4;

/** Camera address of a reply header, or undefined when the byte is not one. */
export function replyAddress(header: number): number | undefined {
  if ((header & 0x0f) !== 0) return undefined;
  const a = (header >> 4) - 8;
  return a >= 1 && a <= 7 ? a : undefined;
}

export function packet(...bytes: number[]): Uint8Array {
  return Uint8Array.from([...bytes, TERMINATOR]);
}

/** Signed 16-bit value as four 0x0n nibble bytes, most significant first (0x0990 → 00 09 09 00). */
export function toNibbles(value: number, count = 4): number[] {
  const v = Math.round(value) & ((1 << (4 * count)) - 1);
  return Array.from({ length: count }, (_, i) => (v >> (4 * (count - 1 - i))) & 0x0f);
}

/** Inverse of toNibbles; `signed` reads the top bit as a sign (pan/tilt), unsigned for zoom. */
export function fromNibbles(bytes: ArrayLike<number>, signed = true): number {
  let v = 0;
  for (let i = 0; i < bytes.length; i++) v = (v << 4) | (bytes[i] & 0x0f);
  const bits = 4 * bytes.length;
  return signed && v >= 1 << (bits - 1) ? v - (1 << bits) : v;
}

export const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Streaming splitter: feed raw serial chunks, get whole packets. Bytes before a header byte and
 * packets longer than 16 bytes are dropped (counted in `dropped`), so garbage on the line costs
 * at most one packet and the next 0xFF resynchronises.
 */
export class ViscaFrameSplitter {
  private buf: number[] = [];

  push(chunk: ArrayLike<number>): { frames: Uint8Array[]; dropped: number } {
    const frames: Uint8Array[] = [];
    let dropped = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.buf.length === 0 && (b & 0x80) === 0) {
        dropped++; // not a header: mid-packet noise
        continue;
      }
      if (this.buf.length === 0 && b === TERMINATOR) {
        dropped++;
        continue;
      }
      this.buf.push(b);
      if (b === TERMINATOR) {
        frames.push(Uint8Array.from(this.buf));
        this.buf = [];
      } else if (this.buf.length >= MAX_PACKET) {
        dropped += this.buf.length; // no terminator within 16 bytes: not VISCA
        this.buf = [];
      }
    }
    return { frames, dropped };
  }

  reset(): void {
    this.buf = [];
  }
}
