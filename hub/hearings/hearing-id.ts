import { randomBytes } from 'node:crypto';

// Hearing ids: `hearing-` + 20 base32 characters of 12 random bytes (96 bits). Nobody can guess the id
// of a hearing they were not told of, so no room can take another's archive directory by racing to it
// (the archive also checks that the room took part). No '.', so `<hearing>.<room>` splits at the first dot.

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'; // RFC 4648 base32, lower case
export const HEARING_ID_BYTES = 12;
export const HEARING_ID = /^hearing-[a-z2-7]{20}$/;

export function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

export const newHearingId = (): string => `hearing-${base32(randomBytes(HEARING_ID_BYTES))}`;
