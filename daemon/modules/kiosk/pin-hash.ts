import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// The kiosk PIN is stored as `scrypt$<saltHex>$<hashHex>` (or, accepted for hand-written configs,
// a bare hex SHA-256). Pure functions over node:crypto; no I/O, no app imports.

export const PIN_PATTERN = /^\d{4,8}$/;
const KEY_LEN = 32;
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const SCRYPT = /^scrypt\$([0-9a-f]{16,128})\$([0-9a-f]{64})$/;
const SHA256 = /^[0-9a-f]{64}$/;

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(pin, salt, KEY_LEN, PARAMS, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A fresh salted scrypt hash of a 4–8 digit PIN; throws on anything else. */
export async function hashPin(pin: string): Promise<string> {
  if (!PIN_PATTERN.test(pin)) throw new Error('the kiosk PIN must be 4 to 8 digits');
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${(await derive(pin, salt)).toString('hex')}`;
}

export function isPinHash(stored: string): boolean {
  return SCRYPT.test(stored) || SHA256.test(stored);
}

/** Constant-time comparison of a presented PIN with the stored hash; false for an empty/unknown hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const scryptParts = SCRYPT.exec(stored);
  if (scryptParts) {
    const expected = Buffer.from(scryptParts[2], 'hex');
    const actual = await derive(pin, Buffer.from(scryptParts[1], 'hex'));
    return timingSafeEqual(expected, actual);
  }
  if (SHA256.test(stored)) {
    return timingSafeEqual(Buffer.from(stored, 'hex'), createHash('sha256').update(pin, 'utf8').digest());
  }
  return false;
}
