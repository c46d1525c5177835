import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// Passwords of local accounts: scrypt (node:crypto) with a salt per account, compared in constant time.
// Cost as OWASP recommends for scrypt (N=2^17, r=8, p=1: 128 MiB, a few hundred ms); the parameters are
// stored with each hash, so raising them later keeps older hashes readable. At most MAX_RUNNING
// derivations run at once (the others wait their turn): a flood of sign-ins costs time, not the hub's memory.

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

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
const COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const MAX_RUNNING = 2;
const MAX_WAITING = 50;

/** More sign-ins waiting for their password check than the hub queues (503, try again shortly). */
export class PasswordCheckBusyError extends Error {
  constructor() {
    super(`${MAX_WAITING} password checks already waiting`);
  }
}
const KEY_BYTES = 32;
/** Shortest password `user add` / `user passwd` accept. */
export const MIN_PASSWORD_LENGTH = 12;

// Process-wide on purpose (the one exception to no state at module scope): the memory they share is the process's.
let running = 0;
const waiting: (() => void)[] = [];

async function derive(password: string, salt: Buffer, c: ScryptCost): Promise<Buffer> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) throw new PasswordCheckBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running += 1;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...c, maxmem: 256 * c.N * c.r }, (err, key) =>
        err ? reject(err) : resolve(key),
      ),
    );
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** A new hash; `cost` other than the default only for test fixtures (it is stored with the hash). */
export async function hashPassword(password: string, cost: ScryptCost = COST): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return { algo: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** True when `password` matches; an unusable stored hash never matches. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  if (stored.algo !== 'scrypt') return false;
  const want = Buffer.from(stored.hash, 'base64');
  const got = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * Spends the time of one verification against a hash like `like` (an account of the same file, so its
 * cost): an unknown name must not answer faster than a wrong password.
 */
export async function burnVerification(password: string, like?: PasswordHash): Promise<false> {
  const cost = like ? { N: like.N, r: like.r, p: like.p } : COST;
  await derive(password, randomBytes(16), cost);
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
