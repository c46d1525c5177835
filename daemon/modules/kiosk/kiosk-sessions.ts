import { randomBytes } from 'node:crypto';
import type { KioskLock } from '../../../common/contracts/kiosk-lock.js';
import { isPinHash, verifyPin } from './pin-hash.js';

// PIN unlock of the kiosk's officer controls, and the short-lived session tokens it hands out.
// Tokens live in memory only (a daemon restart locks every kiosk), expire after sessionMinutes.
// Failed attempts are counted globally (one touch screen per room): lockAfterFailures wrong PINs
// in a row lock unlocking for lockoutSeconds, and every further lockout of the same streak (no right
// PIN in between) twice as long as the last, up to a day: 5 guesses a minute forever becomes ~55
// guesses a day at most. Only a right PIN ends the streak. Attempts are checked one at a time, so a
// burst of parallel requests cannot get more guesses than the counter allows. The lockout is in the
// room's health (lockout()), so the fleet report carries it to the hub.

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
/** The longest lockout, however long the streak. */
export const MAX_LOCKOUT_S = 86_400;

export function createKioskSessions(s: KioskSessionSettings) {
  const now = s.now ?? Date.now;
  const sessions = new Map<string, number>(); // token → expiry (ms)
  let failures = 0;
  let lockouts = 0; // in the current streak of wrong PINs
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
        lockouts += 1;
        const seconds = Math.min(MAX_LOCKOUT_S, s.lockoutSeconds * 2 ** Math.min(lockouts - 1, 30));
        lockedUntil = now() + seconds * 1000;
        return { ok: false, reason: 'locked', retryAfterS: seconds };
      }
      return { ok: false, reason: 'wrong-pin', attemptsLeft: s.lockAfterFailures - failures };
    }
    failures = 0;
    lockouts = 0;
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
    /** The lockout as the room's health shows it (and the fleet report carries it). */
    lockout(): KioskLock {
      const locked = now() < lockedUntil;
      return { locked, lockedUntil: locked ? new Date(lockedUntil).toISOString() : null, lockouts, failures };
    },
    liveCount(): number {
      prune();
      return sessions.size;
    },
  };
}
export type KioskSessions = ReturnType<typeof createKioskSessions>;
