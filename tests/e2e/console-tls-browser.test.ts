import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { PEOPLE_ROLES } from '../../hub/auth/identity.js';
import { createHub } from '../../hub/create-hub.js';
import { HSTS } from '../../hub/tls/hsts.js';
import { resolveHubTls } from '../../hub/tls/hub-tls.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';

// The officers' console in Chromium over https (the hub's internal CA): the page, its API calls and its
// signaling WebSocket (wss, same origin) all work for a browser that trusts the hub; one that does not is
// stopped at the certificate. A test cannot install the CA into Chromium's store (no certutil here), so it
// tells Chromium to accept the hub certificate's public key (--ignore-certificate-errors-spki-list: only
// certificates the server presents count, and the hub presents its own, not the CA).
// The loopback officer (allowLoopbackOfficers, the demo's opt-in) spares this test a sign-in.

let root: string;
let hub: ReturnType<typeof createHub>;
let port: number;
let certPem: string;
let hearing: string;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'console-tls-'));
  const stateDir = join(root, 'hub');
  const tls = await resolveHubTls({
    tls: { mode: 'internal-ca', certFile: '', keyFile: '', caFile: '', hostnames: [] },
    host: '127.0.0.1',
    publicUrl: '',
    stateDir,
  });
  certPem = tls.cert!;
  hub = createHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    tokens: [],
    allowLoopbackOfficers: true,
    loopbackRoles: [...PEOPLE_ROLES],
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir,
    tls,
    logger: silentLogger(),
  });
  const { app } = await hub.start();
  port = Number(new URL(hub.address()).port);
  hearing = (await app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Phiên qua HTTPS', rooms: [] } })).json().id;
}, 30_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await hub?.stop();
  rmSync(root, { recursive: true, force: true });
});

const spkiHash = (pem: string) =>
  createHash('sha256')
    .update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');

describe('console over https', () => {
  it('a browser that trusts the hub: the console, its API and its wss signaling (welcome), HSTS', async () => {
    const browser = await launchBrowser({ args: [`--ignore-certificate-errors-spki-list=${spkiHash(certPem)}`] });
    browsers.push(browser);
    const page = await browser.newPage();
    const res = await page.goto(`https://localhost:${port}/console/?join=${hearing}&name=C%C3%A1n%20b%E1%BB%99%20TLS`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['strict-transport-security']).toBe(HSTS);
    await page.waitForFunction(() => document.querySelector('#call-state')?.textContent?.includes('Đã kết nối / Connected'), undefined, {
      timeout: 20_000,
    });
    const officer = hub.conference?.members().find((m) => m.info.kind === 'officer');
    expect(officer?.info.name).toBe('Cán bộ TLS');
    expect(await page.evaluate(() => location.protocol)).toBe('https:');
  }, 60_000);

  it('a browser without the CA is stopped at the certificate', async () => {
    const browser = await launchBrowser();
    browsers.push(browser);
    const page = await browser.newPage();
    await expect(page.goto(`https://localhost:${port}/console/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
  }, 60_000);
});
