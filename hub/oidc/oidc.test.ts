import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signinApp } from '../accounts/test/signin-app.js';
import { oidcConfigOf } from './test/oidc-config-of.js';
import { createBrowser, firstForm } from './test/browser.js';
import { freePort } from './test/free-port.js';
import { startTestProvider } from './test/test-provider.js';

// The hub signing officers in through a real OpenID provider (oidc-provider on its own port), driven
// like a browser: start → the provider's login and consent pages → callback → a session at the hub.

let hub: Awaited<ReturnType<typeof signinApp>>;
let idp: Awaited<ReturnType<typeof startTestProvider>>;
let hubUrl: string;

beforeAll(async () => {
  const port = await freePort();
  hubUrl = `http://127.0.0.1:${port}`;
  idp = await startTestProvider({
    redirectUri: `${hubUrl}/auth/oidc/callback`,
    clientSecret: 'hub-client-secret-at-the-provider',
    people: {
      'lan.nt': { name: 'Nguyễn Thị Lan', roles: ['tcd-can-bo', 'email-user'] },
      'hung.lv': { name: 'Lê Văn Hùng', roles: ['tcd-lanh-dao'] },
      khach: { name: 'Khách', roles: ['email-user'] },
    },
  });
  hub = await signinApp({
    port,
    publicUrl: hubUrl,
    oidc: oidcConfigOf({
      issuer: idp.issuer,
      clientId: 'reception-hub',
      clientSecret: 'hub-client-secret-at-the-provider',
      roleMap: { 'tcd-can-bo': ['officer'], 'tcd-lanh-dao': ['officer', 'supervisor'] },
    }),
  });
});
afterAll(async () => {
  await hub?.stop();
  await idp?.stop();
});

/** Start at the hub, sign in at the provider as `login`, consent; returns the last answer and the browser. */
async function signInAs(login: string) {
  const browser = createBrowser();
  const start = await browser.navigate(`${hubUrl}/auth/oidc/start`);
  expect(start.url.origin).toBe(idp.issuer);
  const loginForm = firstForm(start.text, start.url);
  const consent = await browser.navigate(loginForm.action, {
    method: 'POST',
    form: { ...loginForm.fields, login, password: 'any' },
    from: start.url.href,
  });
  const consentForm = firstForm(consent.text, consent.url);
  const done = await browser.navigate(consentForm.action, { method: 'POST', form: consentForm.fields, from: consent.url.href });
  return { browser, start, done };
}

describe('OpenID Connect sign-in against a real provider', () => {
  it('authorization code + PKCE + state + nonce: the officer lands on /console/ with a session and the mapped roles', async () => {
    const { browser, start, done } = await signInAs('lan.nt');
    const authorize = new URL(start.chain[1]!.url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${hubUrl}/auth/oidc/callback`);
    expect(done.url.href).toBe(`${hubUrl}/console/`); // 404 here (no console in this app): the redirect is what counts
    const cookie = browser.cookies(new URL(hubUrl).host).find((c) => c.name === 'reception_session');
    expect(cookie?.sameSite).toBe('strict');
    const me = await fetch(`${hubUrl}/api/v1/session`, { headers: { cookie: `reception_session=${cookie!.value}` } });
    expect(await me.json()).toMatchObject({ name: 'lan.nt', roles: ['officer'], via: 'oidc' });
    expect(hub.audit.entries.at(-1)).toMatchObject({ actor: 'lan.nt', action: 'signin', outcome: 'ok', reason: 'oidc officer' });
  });

  it('several provider roles map to several hub roles', async () => {
    const { browser } = await signInAs('hung.lv');
    const cookie = browser.cookies(new URL(hubUrl).host).find((c) => c.name === 'reception_session')!;
    const me = await fetch(`${hubUrl}/api/v1/session`, { headers: { cookie: `reception_session=${cookie.value}` } });
    expect((await me.json()).roles).toEqual(['officer', 'supervisor']);
  });

  it('a person with no hub role gets a 403 page, no session, and the refusal is audited', async () => {
    const { browser, done } = await signInAs('khach');
    expect(done.res?.status).toBe(403);
    expect(done.text).toContain('chưa được cấp quyền');
    expect(done.text).toContain('has no role');
    expect(browser.cookies(new URL(hubUrl).host).find((c) => c.name === 'reception_session')).toBeUndefined();
    expect(hub.audit.entries.at(-1)).toMatchObject({ actor: 'khach', action: 'signin', outcome: 'refused' });
    expect(hub.audit.entries.at(-1)?.reason).toMatch(/no hub role in claim roles/);
  });

  it('the sign-in page offers SSO', async () => {
    const r = await fetch(`${hubUrl}/api/v1/session/methods`);
    expect(await r.json()).toEqual({ local: true, oidc: true });
  });
});

describe('OpenID Connect attacks', () => {
  /** A sign-in up to the provider's redirect back, which is not followed: the browser and the callback URL. */
  async function callbackOf(login: string) {
    const browser = createBrowser();
    const start = await browser.navigate(`${hubUrl}/auth/oidc/start`);
    const loginForm = firstForm(start.text, start.url);
    const consent = await browser.navigate(loginForm.action, {
      method: 'POST',
      form: { ...loginForm.fields, login, password: 'x' },
      from: start.url.href,
    });
    const consentForm = firstForm(consent.text, consent.url);
    const stopped = await browser.navigate(consentForm.action, {
      method: 'POST',
      form: consentForm.fields,
      from: consent.url.href,
      stopBefore: (u) => u.pathname === '/auth/oidc/callback',
    });
    expect(stopped.url.pathname).toBe('/auth/oidc/callback');
    return { browser, callback: stopped.url, idpPage: consent.url.href };
  }
  const sessionOf = (browser: ReturnType<typeof createBrowser>) =>
    browser.cookies(new URL(hubUrl).host).find((c) => c.name === 'reception_session');

  it("a callback URL sent to someone else's browser (login CSRF) opens no session there", async () => {
    const { callback } = await callbackOf('lan.nt');
    const victim = createBrowser();
    const planted = await victim.navigate(callback.href, { from: 'http://evil.example/' });
    expect(planted.res?.status).toBe(400);
    expect(planted.text).toContain('Đăng nhập SSO không thành công');
    expect(sessionOf(victim)).toBeUndefined();
  });

  it('a callback replayed in the same browser is refused the second time', async () => {
    const { browser, callback, idpPage } = await callbackOf('lan.nt');
    const first = await browser.navigate(callback.href, { from: idpPage });
    expect(first.url.pathname).toBe('/console/');
    const again = await browser.navigate(callback.href, { from: idpPage });
    expect(again.res?.status).toBe(400);
  });

  it('a tampered state is refused even with the right flow cookie', async () => {
    const { browser, callback, idpPage } = await callbackOf('lan.nt');
    callback.searchParams.set('state', 'etat-falsifie');
    const r = await browser.navigate(callback.href, { from: idpPage });
    expect(r.res?.status).toBe(400);
    expect(r.text).toMatch(/state/);
    expect(sessionOf(browser)).toBeUndefined();
    expect(hub.audit.entries.at(-1)).toMatchObject({ action: 'signin', outcome: 'refused' });
  });

  it('the provider refusing (error=access_denied) is a 401 page, audited', async () => {
    const browser = createBrowser();
    await browser.navigate(`${hubUrl}/auth/oidc/start`, { stopBefore: () => true });
    const r = await browser.navigate(`${hubUrl}/auth/oidc/callback?error=access_denied&error_description=End-User+aborted`, {
      from: idp.issuer,
    });
    expect(r.res?.status).toBe(401);
    expect(r.text).toContain('access_denied: End-User aborted');
    expect(hub.audit.entries.at(-1)?.reason).toBe('oidc provider: access_denied: End-User aborted');
  });

  it('the provider unreachable: a 502 page', async () => {
    const down = await signinApp({
      publicUrl: 'http://127.0.0.1:9',
      oidc: oidcConfigOf({
        issuer: 'http://127.0.0.1:9',
        clientId: 'x',
        clientSecret: 'y',
        scopes: 'openid',
      }),
    });
    const r = await down.app.inject({ url: '/auth/oidc/start' });
    expect(r.statusCode).toBe(502);
    expect(r.body).toContain('Không kết nối được máy chủ đăng nhập tập trung');
    await down.stop();
  });

  it('refuses a plain-http provider that is not on this machine', async () => {
    await expect(
      signinApp({
        publicUrl: 'http://127.0.0.1:1',
        oidc: oidcConfigOf({
          issuer: 'http://sso.example.gov.vn',
          clientId: 'x',
          clientSecret: 'y',
          scopes: 'openid',
        }),
      }),
    ).rejects.toThrow('oidc.issuer: must be https');
  });
});
