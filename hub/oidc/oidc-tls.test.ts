import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInternalCa, ensureServerCertificate } from '../../common/tls/internal-ca.js';
import { signinApp } from '../accounts/test/signin-app.js';
import { createBrowser, firstForm } from './test/browser.js';
import { freePort } from './test/free-port.js';
import { oidcConfigOf } from './test/oidc-config-of.js';
import { startTestProvider } from './test/test-provider.js';

// The province's provider over https with a certificate from its own CA (not in any system store):
// the hub trusts it through oidc.caFile, and refuses it without.

let idp: Awaited<ReturnType<typeof startTestProvider>>;
let caFile: string;
let port: number;
let hubUrl: string;

beforeAll(async () => {
  port = await freePort();
  hubUrl = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'province-ca-'));
  const ca = await ensureInternalCa(dir, { commonName: 'CA tỉnh thử / Test province CA' });
  const server = await ensureServerCertificate(dir, ca, ['localhost', '127.0.0.1', '::1']);
  caFile = join(dir, 'province-ca.pem');
  writeFileSync(caFile, ca.caPem);
  idp = await startTestProvider({
    redirectUri: `${hubUrl}/auth/oidc/callback`,
    clientSecret: 'secret',
    people: { 'lan.nt': { name: 'Nguyễn Thị Lan', roles: ['officer'] } },
    tls: { key: server.keyPem, cert: server.certPem },
  });
});
afterAll(() => idp?.stop());

describe('OpenID provider over https', () => {
  it("with oidc.caFile: the whole flow over the provider's TLS", async () => {
    const hub = await signinApp({
      port,
      publicUrl: hubUrl,
      oidc: oidcConfigOf({ issuer: idp.issuer, clientId: 'reception-hub', clientSecret: 'secret', caFile }),
    });
    try {
      const browser = createBrowser({ caPem: readFileSync(caFile, 'utf8') }); // the officer's browser trusts the province CA too
      const start = await browser.navigate(`${hubUrl}/auth/oidc/start`);
      expect(start.url.origin).toBe(idp.issuer);
      const login = firstForm(start.text, start.url);
      const consent = await browser.navigate(login.action, {
        method: 'POST',
        form: { ...login.fields, login: 'lan.nt', password: 'x' },
        from: start.url.href,
      });
      const form = firstForm(consent.text, consent.url);
      const done = await browser.navigate(form.action, { method: 'POST', form: form.fields, from: consent.url.href });
      expect(done.url.href).toBe(`${hubUrl}/console/`);
      expect(hub.audit.entries.at(-1)).toMatchObject({ actor: 'lan.nt', outcome: 'ok' });
    } finally {
      await hub.stop();
    }
  });

  it('without it: the provider is not trusted (502 naming the certificate problem)', async () => {
    const hub = await signinApp({
      port,
      publicUrl: hubUrl,
      oidc: oidcConfigOf({ issuer: idp.issuer, clientId: 'reception-hub', clientSecret: 'secret' }),
    });
    try {
      const r = await hub.app.inject({ url: '/auth/oidc/start' });
      expect(r.statusCode).toBe(502);
      expect(r.body).toMatch(/certificate|fetch failed/i);
    } finally {
      await hub.stop();
    }
  });
});
