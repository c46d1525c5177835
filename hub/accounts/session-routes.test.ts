import { join } from 'node:path';
import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS_FILE, readAccounts, writeAccounts } from './account-file.js';
import { hashPassword } from './password.js';
import { ABSOLUTE_MS, IDLE_MS, MAX_PER_PERSON } from './sessions.js';
import { addAccount, sessionCookie, signinApp, TEST_COST } from './test/signin-app.js';
import { newTotpSecret } from './totp.js';

const PASSWORD = 'đúng-mật-khẩu-2026';
let t: Awaited<ReturnType<typeof signinApp>>;
afterEach(() => t?.stop());

const signIn = (body: Record<string, unknown>, ip = '10.0.0.5') =>
  t.app.inject({ method: 'POST', url: '/api/v1/session', payload: body, remoteAddress: ip });
const who = (cookie: string | undefined) => t.app.inject({ method: 'GET', url: '/api/v1/session', headers: cookie ? { cookie } : {} });

describe('local sign-in (POST /api/v1/session)', () => {
  it('answers name, roles and a csrf token, and sets an httpOnly SameSite=Strict session cookie', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer', 'supervisor']);
    const r = await signIn({ name: 'Lan', password: PASSWORD });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ name: 'lan', roles: ['officer', 'supervisor'], via: 'local' });
    expect(body.csrf).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(/^reception_session=[A-Za-z0-9_-]{43};/);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/Secure/); // plain http (inject); https sets Secure
    const me = await who(sessionCookie(r.headers['set-cookie']));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ name: 'lan', roles: ['officer', 'supervisor'], csrf: body.csrf });
    expect(t.audit.entries).toEqual([expect.objectContaining({ actor: 'lan', action: 'signin', outcome: 'ok', ip: '10.0.0.5' })]);
  });

  it('a wrong password and an unknown name get the same 401, both audited as refused', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    const wrong = await signIn({ name: 'lan', password: 'sai-mat-khau-123' });
    const unknown = await signIn({ name: 'khong-co', password: 'sai-mat-khau-123' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().message).toBe('Sai tên đăng nhập hoặc mật khẩu / Wrong name or password');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(t.audit.entries.map((e) => [e.actor, e.outcome])).toEqual([
      ['lan', 'refused'],
      ['khong-co', 'refused'],
    ]);
    expect(JSON.stringify(t.audit.entries)).not.toContain('sai-mat-khau');
  });

  it('unknown fields and a missing password are 400 naming the field', async () => {
    t = await signinApp();
    const r = await signIn({ name: 'lan', password: 'x', role: 'officer' });
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe('body.role');
    expect((await signIn({ name: 'lan' })).json().field).toBe('body.password');
  });

  it('TOTP: required when the account has it, wrong or reused codes refused', async () => {
    t = await signinApp();
    const secret = newTotpSecret();
    await addAccount(t.stateDir, 'minh', PASSWORD, ['archivist'], secret);
    const none = await signIn({ name: 'minh', password: PASSWORD });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('TOTP_REQUIRED');
    expect(none.headers['set-cookie']).toBeUndefined();
    const code = await generate({ secret, epoch: Math.floor(t.clock.t / 1000) });
    const wrongCode = code === '000000' ? '111111' : '000000';
    expect((await signIn({ name: 'minh', password: PASSWORD, totp: wrongCode })).statusCode).toBe(401);
    const ok = await signIn({ name: 'minh', password: PASSWORD, totp: code });
    expect(ok.statusCode).toBe(200);
    const replay = await signIn({ name: 'minh', password: PASSWORD, totp: code });
    expect(replay.statusCode).toBe(401); // the same code twice: someone watched it typed
  });
});

describe('sessions', () => {
  async function signedIn() {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    const r = await signIn({ name: 'lan', password: PASSWORD });
    return { cookie: sessionCookie(r.headers['set-cookie']), csrf: r.json().csrf as string };
  }

  it('end after 30 minutes idle', async () => {
    const { cookie } = await signedIn();
    t.clock.t += IDLE_MS - 60_000;
    expect((await who(cookie)).statusCode).toBe(200); // used: the idle time starts again
    t.clock.t += IDLE_MS - 60_000;
    expect((await who(cookie)).statusCode).toBe(200);
    t.clock.t += IDLE_MS + 1;
    expect((await who(cookie)).statusCode).toBe(401);
  });

  it('end 12 hours after sign-in however busy', async () => {
    const { cookie } = await signedIn();
    for (let used = 0; used < ABSOLUTE_MS - IDLE_MS; used += IDLE_MS / 2) {
      t.clock.t += IDLE_MS / 2;
      expect((await who(cookie)).statusCode).toBe(200);
    }
    t.clock.t += IDLE_MS;
    expect((await who(cookie)).statusCode).toBe(401);
  });

  it('sign-out needs the csrf token, ends the session and clears the cookie', async () => {
    const { cookie, csrf } = await signedIn();
    const forged = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: cookie! } });
    expect(forged.statusCode).toBe(403);
    expect((await who(cookie)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: cookie!, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^reception_session=; Max-Age=0/);
    expect((await who(cookie)).statusCode).toBe(401);
    expect(t.audit.entries.at(-1)).toMatchObject({ actor: 'lan', action: 'signout', outcome: 'ok' });
  });

  it('an account removed, or its password changed, ends its sessions; new roles apply at once', async () => {
    const { cookie } = await signedIn();
    const file = join(t.stateDir, ACCOUNTS_FILE);
    const doc = readAccounts(file);
    doc.accounts[0]!.roles = ['monitor'];
    await writeAccounts(file, doc);
    expect((await t.app.inject({ url: '/whoami', headers: { cookie: cookie! } })).json().roles).toEqual(['monitor']);
    doc.accounts[0]!.password = await hashPassword('mat-khau-moi-2026', TEST_COST);
    doc.accounts[0]!.passwordChangedAt = new Date(t.clock.t + 1000).toISOString();
    await writeAccounts(file, doc);
    expect((await who(cookie)).statusCode).toBe(401);
    t.clock.t += 2000;
    const again = sessionCookie((await signIn({ name: 'lan', password: 'mat-khau-moi-2026' })).headers['set-cookie']);
    expect((await who(again)).statusCode).toBe(200);
    await writeAccounts(file, { version: 1, accounts: [] });
    expect((await who(again)).statusCode).toBe(401);
  });
});

describe('session limits', () => {
  it('signing in again replaces the browser session; a person holds at most MAX_PER_PERSON', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', PASSWORD, ['officer']);
    const first = sessionCookie((await signIn({ name: 'lan', password: PASSWORD })).headers['set-cookie'])!;
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'lan', password: PASSWORD },
      headers: { cookie: first },
    });
    expect((await who(first)).statusCode).toBe(401); // replaced, not piled up
    expect((await who(sessionCookie(again.headers['set-cookie']))).statusCode).toBe(200);
    expect(String(again.headers['set-cookie'])).not.toMatch(/Max-Age|Expires/); // gone with the browser
    const cookies = [];
    for (let i = 0; i < MAX_PER_PERSON + 2; i++)
      cookies.push(sessionCookie((await signIn({ name: 'lan', password: PASSWORD })).headers['set-cookie']));
    expect(t.signin.sessions.count()).toBe(MAX_PER_PERSON);
    expect((await who(cookies[0])).statusCode).toBe(401);
    expect((await who(cookies.at(-1))).statusCode).toBe(200);
  });
});
