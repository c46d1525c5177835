import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPin, isPinHash, verifyPin } from './pin-hash.js';
import { createKioskSessions } from './kiosk-sessions.js';

describe('kiosk PIN hash', () => {
  it('scrypt hashes are salted and verify only the right PIN', async () => {
    const a = await hashPin('2468');
    const b = await hashPin('2468');
    expect(a).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(await verifyPin('2468', a)).toBe(true);
    expect(await verifyPin('2469', a)).toBe(false);
    expect(await verifyPin('', a)).toBe(false);
  });

  it('accepts a bare SHA-256, refuses empty or malformed hashes, and non-digit PINs', async () => {
    const sha = createHash('sha256').update('1234').digest('hex');
    expect(await verifyPin('1234', sha)).toBe(true);
    expect(await verifyPin('1235', sha)).toBe(false);
    expect(isPinHash('')).toBe(false);
    expect(await verifyPin('1234', '')).toBe(false);
    expect(await verifyPin('1234', 'scrypt$zz$00')).toBe(false);
    await expect(hashPin('12a4')).rejects.toThrow(/4 to 8 digits/);
    await expect(hashPin('123')).rejects.toThrow();
    await expect(hashPin('123456789')).rejects.toThrow();
  });
});

describe('kiosk sessions', () => {
  const sha = createHash('sha256').update('1234').digest('hex');
  const make = (over: Partial<Parameters<typeof createKioskSessions>[0]> = {}) => {
    const clock = { t: 1_000_000 };
    const s = createKioskSessions({
      pinHash: sha,
      sessionMinutes: 10,
      lockAfterFailures: 3,
      lockoutSeconds: 60,
      now: () => clock.t,
      ...over,
    });
    return { s, clock };
  };

  it('no PIN configured: every unlock is refused as no-pin', async () => {
    const { s } = make({ pinHash: '' });
    expect(s.pinConfigured()).toBe(false);
    expect(await s.unlock('1234')).toEqual({ ok: false, reason: 'no-pin' });
  });

  it('counts wrong PINs, locks out, then lets the right PIN in after the lockout', async () => {
    const { s, clock } = make();
    expect(await s.unlock('0000')).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: 2 });
    expect(await s.unlock('0000')).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: 1 });
    expect(await s.unlock('0000')).toEqual({ ok: false, reason: 'locked', retryAfterS: 60 });
    clock.t += 45_500;
    expect(await s.unlock('1234')).toEqual({ ok: false, reason: 'locked', retryAfterS: 15 }); // even the right PIN waits
    clock.t += 15_000;
    const r = await s.unlock('1234');
    expect(r.ok).toBe(true);
    expect(await s.unlock('0000')).toMatchObject({ attemptsLeft: 2 }); // success reset the count
  });

  it('parallel guesses cannot exceed the allowed attempts', async () => {
    const { s } = make();
    const results = await Promise.all(['1', '2', '3', '4', '5', '6'].map((d) => s.unlock(d.repeat(4))));
    expect(results.filter((r) => !r.ok && r.reason === 'wrong-pin')).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(4);
  });

  it('tokens are 32 random bytes, live for sessionMinutes, and can be revoked', async () => {
    const { s, clock } = make();
    const a = await s.unlock('1234');
    const b = await s.unlock('1234');
    if (!a.ok || !b.ok) throw new Error('unlock failed');
    expect(a.token).toMatch(/^[0-9a-f]{64}$/);
    expect(a.token).not.toBe(b.token);
    expect(Date.parse(a.expiresAt)).toBe(clock.t + 600_000);
    expect(s.isLive(a.token)).toBe(true);
    expect(s.revoke(a.token)).toBe(true);
    expect(s.isLive(a.token)).toBe(false);
    clock.t += 599_999;
    expect(s.isLive(b.token)).toBe(true);
    clock.t += 1;
    expect(s.isLive(b.token)).toBe(false);
    expect(s.liveCount()).toBe(0);
    expect(s.isLive('not-a-token')).toBe(false);
  });
});

describe('kiosk PIN lockout grows per failure streak (issue 10 item 7)', () => {
  const sha = createHash('sha256').update('1234').digest('hex');
  const make = () => {
    const clock = { t: 1_000_000 };
    const s = createKioskSessions({ pinHash: sha, sessionMinutes: 10, lockAfterFailures: 3, lockoutSeconds: 60, now: () => clock.t });
    return { s, clock };
  };
  /** Wrong PINs until locked; the lockout's length. */
  const lockOut = async (s: ReturnType<typeof make>['s']) => {
    for (;;) {
      const r = await s.unlock('0000');
      if (!r.ok && r.reason === 'locked') return r.retryAfterS;
    }
  };

  it('each lockout of a streak lasts twice as long as the last, up to a day; a right PIN ends the streak', async () => {
    const { s, clock } = make();
    const lengths: number[] = [];
    for (let i = 0; i < 13; i++) {
      const seconds = await lockOut(s);
      lengths.push(seconds);
      clock.t += seconds * 1000;
    }
    expect(lengths.slice(0, 5)).toEqual([60, 120, 240, 480, 960]);
    expect(lengths.slice(-2)).toEqual([86_400, 86_400]);
    expect(await s.unlock('1234')).toMatchObject({ ok: true });
    expect(await lockOut(s)).toBe(60); // a new streak starts short again
  });

  it('waiting out a lockout does not end the streak (no more 3 guesses a minute forever)', async () => {
    const { s, clock } = make();
    expect(await lockOut(s)).toBe(60);
    clock.t += 3_600_000; // an hour later
    expect(await lockOut(s)).toBe(120);
  });

  it('lockout() says it, for the room health and the fleet report', async () => {
    const { s, clock } = make();
    expect(s.lockout()).toEqual({ locked: false, lockedUntil: null, lockouts: 0, failures: 0 });
    await s.unlock('0000');
    expect(s.lockout()).toMatchObject({ locked: false, failures: 1 });
    await lockOut(s);
    expect(s.lockout()).toEqual({ locked: true, lockedUntil: new Date(clock.t + 60_000).toISOString(), lockouts: 1, failures: 0 });
    clock.t += 60_000;
    expect(s.lockout()).toMatchObject({ locked: false, lockedUntil: null, lockouts: 1 });
  });
});
