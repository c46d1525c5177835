import { randomBytes } from 'node:crypto';
import { isPinHash, verifyPin } from './pin-hash.js';

// PIN unlock of the kiosk's officer controls, and the short-lived session tokens it hands out.
// Tokens live in memory only (a daemon restart locks every kiosk), expire after sessionMinutes.
// Failed attempts are counted globally (one touch screen per room): lockAfterFailures wrong PINs
// in a row lock unlocking for lockoutSeconds. Attempts are checked one at a time, so a burst of
// parallel requests cannot get more guesses than the counter allows.

export interface KioskSessionSettings {
  pinHash: string;
  sessionMinutes: number;
  lockAfterFailures: number;
  lockoutSeconds: number;
  /** Injected clock (tests). */
  now?: () => number;
}

export type UnlockResult =
  | { ok: true; token: string; expiresAt: string }
  | { ok: false; reason: 'no-pin' }
  | { ok: false; reason: 'wrong-pin'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; retryAfterS: number };

const MAX_SESSIONS = 32;

export function createKioskSessions(s: KioskSessionSettings) {
  const now = s.now ?? Date.now;
  const sessions = new Map<string, number>(); // token → expiry (ms)
  let failures = 0;
  let lockedUntil = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const prune = () => {
    const t = now();
    for (const [token, exp] of sessions) if (exp <= t) sessions.delete(token);
  };

  async function attempt(pin: string): Promise<UnlockResult> {
    if (!isPinHash(s.pinHash)) return { ok: false, reason: 'no-pin' };
    const t = now();
    if (t < lockedUntil) return { ok: false, reason: 'locked', retryAfterS: Math.ceil((lockedUntil - t) / 1000) };
    if (!(await verifyPin(pin, s.pinHash))) {
      failures += 1;
      if (failures >= s.lockAfterFailures) {
        failures = 0;
        lockedUntil = now() + s.lockoutSeconds * 1000;
        return { ok: false, reason: 'locked', retryAfterS: s.lockoutSeconds };
      }
      return { ok: false, reason: 'wrong-pin', attemptsLeft: s.lockAfterFailures - failures };
    }
    failures = 0;
    prune();
    // Oldest first out past the cap: a forgotten tab cannot pile up sessions.
    while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    const token = randomBytes(32).toString('hex');
    const expires = now() + s.sessionMinutes * 60_000;
    sessions.set(token, expires);
    return { ok: true, token, expiresAt: new Date(expires).toISOString() };
  }

  return {
    pinConfigured: (): boolean => isPinHash(s.pinHash),
    /** Checks a PIN (serialized with every other attempt). */
    unlock(pin: string): Promise<UnlockResult> {
      const next = queue.then(() => attempt(pin));
      queue = next.catch(() => undefined);
      return next;
    },
    /** True while `token` is a live session. */
    isLive(token: string): boolean {
      const exp = sessions.get(token);
      if (exp === undefined) return false;
      if (exp > now()) return true;
      sessions.delete(token);
      return false;
    },
    /** Ends a session; false when it was not live. */
    revoke(token: string): boolean {
      return sessions.delete(token);
    },
    liveCount(): number {
      prune();
      return sessions.size;
    },
  };
}
export type KioskSessions = ReturnType<typeof createKioskSessions>;
