import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { addAccount } from '../../hub/accounts/test/signin-app.js';
import { createHub } from '../../hub/create-hub.js';
import { enrollRooms } from '../../hub/test/hub-fixture.js';
import { oidcConfigOf } from '../../hub/oidc/test/oidc-config-of.js';
import { freePort } from '../../hub/oidc/test/free-port.js';
import { startTestProvider } from '../../hub/oidc/test/test-provider.js';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';
import { until } from '../helpers/until.js';

// Officers sign in to the hub's console in Chromium: one with a local account (name + password on
// the sign-in page), one through the province's SSO (a real oidc-provider on its own port). The console
// then works with the session cookie alone (its changes carry the csrf token) and signs out.

const PASSWORD = 'mat-khau-can-bo-2026';
let hub: ReturnType<typeof createHub>;
let idp: Awaited<ReturnType<typeof startTestProvider>>;
let browser: TestBrowser;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  idp = await startTestProvider({
    redirectUri: `${url}/auth/oidc/callback`,
    clientSecret: 'secret-of-the-hub',
    people: { 'hung.lv': { name: 'Lê Văn Hùng', roles: ['tcd-lanh-dao'] } },
  });
  const stateDir = mkdtempSync(join(tmpdir(), 'hub-signin-e2e-'));
  await addAccount(stateDir, 'lan', PASSWORD, ['officer']);
  hub = createHub({
    host: '127.0.0.1',
    port,
    publicUrl: url,
    tokens: [],
    allowLoopbackOfficers: false,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir,
    archive: { enabled: false, dir: '', maxChunkMb: 4 },
    oidc: oidcConfigOf({
      issuer: idp.issuer,
      clientId: 'reception-hub',
      clientSecret: 'secret-of-the-hub',
      roleMap: { 'tcd-lanh-dao': ['officer', 'supervisor'] },
    }),
    logger: silentLogger(),
  });
  await enrollRooms((await hub.start()).enrollment, 2); // room-demo, room-2
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await idp?.stop();
});

const who = (page: Page) =>
  until(
    'the signed-in name in the header',
    15_000,
    async () => (await page.textContent('#who'))?.match(/\(.+\)/) && page.textContent('#who'),
  );

describe('console sign-in in Chromium', () => {
  it('a local account: the console sends it to the sign-in page and back, changes carry the csrf token, sign-out ends it', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/console/`);
    await page.waitForURL(/\/console\/signin\.html\?next=%2Fconsole%2F/, { timeout: 15_000 });
    await page.fill('#name', 'lan');
    await page.fill('#password', 'sai-mat-khau-123');
    await page.click('#signin-submit');
    await until('the refusal', 10_000, async () =>
      (await page.textContent('#signin-message'))?.includes('Sai tên đăng nhập hoặc mật khẩu'),
    );
    await page.fill('#password', PASSWORD);
    await page.click('#signin-submit');
    await page.waitForURL(`${url}/console/`, { timeout: 15_000 });
    expect(await who(page)).toContain('lan (officer)');
    // The console's own API helper, as its pages use it (a string: vitest must not rewrite the import).
    const created = await page.evaluate<{ id: string }>(
      "import('/console/console-api.js').then((m) => m.api('POST', '/hearings', { title: 'Phiên tiếp dân thử', rooms: [] }))",
    );
    expect(hub.store?.list().map((h) => h.id)).toContain(created.id);
    // Joining it: the signaling WebSocket goes with the cookie alone (no ?token=), and the officer publishes.
    await page.goto(`${url}/console/?join=${created.id}&name=C%C3%A1n%20b%E1%BB%99%20Lan`);
    await until('the officer publishing in the hearing', 20_000, () =>
      hub.conference?.members().find((m) => m.info.kind === 'officer' && m.publish),
    );
    await page.goto(`${url}/console/`);
    const cookies = await browser.browser.cookies(url);
    const session = cookies.find((c) => c.name === 'reception_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('reception_session'); // httpOnly: scripts cannot read it
    await page.click('#who button');
    await page.waitForURL(/signin\.html/, { timeout: 15_000 });
    expect((await fetch(`${url}/api/v1/session`, { headers: { cookie: `reception_session=${session!.value}` } })).status).toBe(401);
    expect((page as Page & { errors: string[] }).errors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
  });

  it("through the province's SSO: the provider's login and consent, then the console with the mapped roles", async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/console/signin.html`);
    await page.waitForSelector('#sso:not([hidden])', { timeout: 15_000 });
    await page.click('#sso-link');
    await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`), { timeout: 15_000 });
    await page.fill('input[name=login]', 'hung.lv');
    await page.fill('input[name=password]', 'any');
    await page.click('button[type=submit]');
    await page.waitForSelector('button[autofocus]', { timeout: 15_000 }); // the provider's consent page
    await page.click('button[autofocus]');
    await page.waitForURL(`${url}/console/`, { timeout: 15_000 });
    expect(await who(page)).toContain('hung.lv (officer, supervisor)');
    const rooms = await page.evaluate<{ id: string }[]>("import('/console/console-api.js').then((m) => m.api('GET', '/rooms'))");
    expect(rooms.map((r) => r.id)).toEqual(['room-demo', 'room-2']);
  });
});
