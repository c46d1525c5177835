import { afterEach, describe, expect, it } from 'vitest';
import { addAccount, sessionCookie, signinApp } from '../../hub/accounts/test/signin-app.js';

// Attacks on the hub's local sign-in (hub/accounts): guessing passwords from one address or many,
// finding out which names exist, planting a session id, forging a cookie.

const PASSWORD = 'mat-khau-that-dai-2026';
let t: Awaited<ReturnType<typeof signinApp>>;
afterEach(() => t?.stop());

const signIn = (name: string, password: string, ip: string, cookie?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { name, password },
    remoteAddress: ip,
    headers: cookie ? { cookie } : {},
  });

describe('guessing passwords', () => {
  it('from one address: after 3 failures each try waits twice as long (429, Retry-After), across names', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    const ip = '203.0.113.7';
    for (let i = 0; i < 3; i++) expect((await signIn(`ten-${i}`, 'doan-bua-123', ip)).statusCode).toBe(401);
    const fourth = await signIn('ten-3', 'doan-bua-123', ip);
    expect(fourth.statusCode).toBe(401); // the 4th failure closes the door for 1 s
    const locked = await signIn('lan', PASSWORD, ip); // even the right password is not looked at
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json().code).toBe('TOO_MANY_ATTEMPTS');
    t.clock.t += 1000;
    expect((await signIn('ten-4', 'doan-bua-123', ip)).statusCode).toBe(401);
    expect((await signIn('lan', PASSWORD, ip)).headers['retry-after']).toBe('2');
    t.clock.t += 2000;
    expect((await signIn('ten-5', 'doan-bua-123', ip)).statusCode).toBe(401);
    expect((await signIn('lan', PASSWORD, ip)).headers['retry-after']).toBe('4');
    expect(t.audit.entries.filter((e) => e.outcome === 'refused').length).toBeGreaterThanOrEqual(9);
  });

  it('against one account from many addresses: the account slows down too', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    for (let i = 1; i <= 4; i++) expect((await signIn('lan', `doan-${i}-abcdef`, `198.51.100.${i}`)).statusCode).toBe(401);
    const fresh = await signIn('lan', PASSWORD, '198.51.100.99'); // an address that never failed
    expect(fresh.statusCode).toBe(429);
    t.clock.t += 1000;
    const ok = await signIn('lan', PASSWORD, '198.51.100.99');
    expect(ok.statusCode).toBe(200); // and the right password opens the account's door again
    expect((await signIn('lan', 'sai-lan-nua-123', '198.51.100.98')).statusCode).toBe(401);
  });

  it('an unknown name is throttled like a known one (the 429 tells nothing)', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    for (let i = 1; i <= 4; i++) await signIn('khong-co-ai', `doan-${i}-abcdef`, `192.0.2.${i}`);
    for (let i = 1; i <= 4; i++) await signIn('lan', `doan-${i}-abcdef`, `192.0.2.${i + 10}`);
    const a = await signIn('khong-co-ai', 'x-y-z-abcdef', '192.0.2.50');
    const b = await signIn('lan', 'x-y-z-abcdef', '192.0.2.51');
    expect([a.statusCode, b.statusCode]).toEqual([429, 429]);
    expect(a.json()).toEqual(b.json());
  });
});

describe('sessions', () => {
  it('a session id planted before sign-in is never adopted (fixation); a forged cookie is nobody', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    const planted = 'reception_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const r = await signIn('lan', PASSWORD, '10.0.0.1', planted);
    expect(r.statusCode).toBe(200);
    const issued = sessionCookie(r.headers['set-cookie']);
    expect(issued).not.toBe(planted);
    const who = (cookie: string) => t.app.inject({ url: '/api/v1/session', headers: { cookie } });
    expect((await who(planted)).statusCode).toBe(401);
    expect((await who(`${issued}x`)).statusCode).toBe(401);
    expect((await who(issued!)).statusCode).toBe(200);
  });

  it('the audit log and the reply never carry the password or the cookie', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    const r = await signIn('lan', PASSWORD, '10.0.0.1');
    await signIn('lan', `${PASSWORD}x`, '10.0.0.1');
    const cookieValue = sessionCookie(r.headers['set-cookie'])!.split('=')[1]!;
    const audit = JSON.stringify(t.audit.entries);
    expect(audit).not.toContain(PASSWORD);
    expect(audit).not.toContain(cookieValue);
    expect(r.body).not.toContain(cookieValue);
  });
});
