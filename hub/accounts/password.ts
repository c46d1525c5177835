import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// Passwords of local accounts: scrypt (node:crypto) with a salt per account, compared in constant time.
// The parameters are stored with each hash, so raising them later keeps older hashes readable.

export interface PasswordHash {
  algo: 'scrypt';
  /** CPU/memory cost (a power of 2), block size, parallelism. */
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64, 32 bytes */
  hash: string;
}

const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
/** Shortest password `user add` / `user passwd` accept. */
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, c: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...c, maxmem: 256 * c.N * c.r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return { algo: 'scrypt', ...COST, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** True when `password` matches; an unusable stored hash never matches. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  if (stored.algo !== 'scrypt') return false;
  const want = Buffer.from(stored.hash, 'base64');
  const got = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return want.length === got.length && timingSafeEqual(want, got);
}

let dummy: Promise<PasswordHash> | undefined;
/** Spends the time of one verification (an unknown name must not answer faster than a wrong password). */
export async function burnVerification(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}

/** Why a new password is refused (undefined: fine). */
export function passwordProblem(password: string, name: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự / the password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.toLowerCase().includes(name.toLowerCase()))
    return 'mật khẩu không được chứa tên tài khoản / the password must not contain the account name';
  return undefined;
}
