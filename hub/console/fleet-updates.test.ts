import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomReport } from '../../common/contracts/fleet.js';
import { generateApplianceKey, publicKeyPemFromRaw } from '../../common/evidence/keys.js';
import { buildRelease } from '../../provisioning/release/build-release.js';
import { launchBrowser, type TestBrowser } from '../../tests/helpers/browser.js';
import { until } from '../../tests/helpers/until.js';
import { addAccount } from '../accounts/test/signin-app.js';
import { createHub } from '../create-hub.js';
import { enrollInProcess } from '../test/enroll-room.js';
import { testHubDeps } from '../test/hub-fixture.js';
import { bareReport } from '../../common/contracts/test/samples.js';

// The fleet page's software updates section in real Chromium against a real hub: a technician signs in,
// sees the signed release on the shelf and each room's state, rolls the release out to one room with the
// form, and sees that room's rollback (with the room's reason) stand out once the room reports it.
// SCREENSHOTS=1 writes docs/screenshots/fleet-updates.png.

const PASSWORD = 'mat-khau-ky-thuat-2026';
const dir = mkdtempSync(join(tmpdir(), 'fleet-updates-'));
const key = generateApplianceKey();
const keyFile = join(dir, 'release-public.pem');
writeFileSync(keyFile, publicKeyPemFromRaw(key.publicKeyRaw));
const hub = createHub(testHubDeps({ stateDir: join(dir, 'hub'), updates: { releaseKeyFile: keyFile } }));
let url = '';
let browser: TestBrowser;
const tokens: string[] = [];
const report = (room: string, update?: RoomReport['update']) =>
  fetch(`${url}/api/v1/fleet/rooms/${room}/report`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[room === 'room-demo' ? 0 : 1]}`, 'content-type': 'application/json' },
    body: JSON.stringify(bareReport({ version: '1.3.9', uptimeS: 60, ...(update ? { update } : {}) })),
  }).then(async (r) => (await r.json()) as { update?: { attempt: string } });

describe('console: software updates on the fleet page', () => {
  beforeAll(async () => {
    mkdirSync(join(dir, 'hub'), { recursive: true });
    await addAccount(join(dir, 'hub'), 'tuan', PASSWORD, ['technician']);
    const built = await hub.start();
    url = hub.address();
    tokens.push((await enrollInProcess(built.enrollment, 'room-demo', 'UBND xã Tà Xùa')).token);
    tokens.push((await enrollInProcess(built.enrollment, 'room-2', 'UBND xã Hang Chú')).token);
    await Promise.all([report('room-demo'), report('room-2')]);
    const src = join(dir, 'src');
    mkdirSync(join(src, 'dist'), { recursive: true });
    writeFileSync(join(src, 'dist/main.js'), '// 1.4.2\n');
    writeFileSync(join(src, 'package.json'), JSON.stringify({ version: '1.4.2' }));
    writeFileSync(join(src, 'package-lock.json'), '{}');
    const r = await buildRelease({ root: src, outDir: join(dir, 'out'), privateKeyPem: key.privateKeyPem, withModules: false });
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`${url}/console/signin.html`);
    await page.fill('#name', 'tuan');
    await page.fill('#password', PASSWORD);
    // Signed in, the page goes on to the console: wait for that navigation (networkidle alone could still be the
    // sign-in page's, and the navigation then destroys the context of the evaluate below — seen at load 40).
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/signin.html'), { timeout: 60_000 }), page.click('#signin-submit')]);
    await page.waitForLoadState('networkidle');
    // The technician's session uploads the release (the same calls a script makes with a token).
    const up = await page.evaluate(
      async ({ release, archive }) => {
        const s = await (await fetch('/api/v1/session')).json();
        const put = (p: string, body: BodyInit, type: string) =>
          fetch(`/api/v1/updates/releases/1.4.2/${p}`, {
            method: 'PUT',
            body,
            headers: { 'content-type': type, 'x-csrf-token': s.csrf },
          }).then((x) => x.status);
        return [
          await put('release.json', release, 'application/json'),
          await put('archive', new Uint8Array(archive), 'application/octet-stream'),
        ];
      },
      { release: readFileSync(r.releaseFile, 'utf8'), archive: [...readFileSync(r.archive)] },
    );
    expect(up).toEqual([201, 200]);
    await page.close();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rolls a release out to a chosen room and shows its rollback with the reason', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1500, height: 900 });
    await page.goto(`${url}/console/signin.html?next=/console/fleet.html`);
    await page.fill('#name', 'tuan');
    await page.fill('#password', PASSWORD);
    await page.click('#signin-submit');
    await page.waitForURL(/fleet\.html/, { timeout: 30_000 });
    await page.locator('#updates:not([hidden])').waitFor({ timeout: 30_000 });
    await until('both rooms in the rollout table', 30_000, async () => (await page.locator('#rollout tbody tr').count()) === 2);
    expect(await page.locator('#rollout-version option').allTextContents()).toEqual([
      expect.stringMatching(/^1\.4\.2 \(ứng dụng \/ app only/),
    ]);
    await page.locator('.rollout-room[value="room-demo"]').check();
    await page.click('#rollout-form button[type=submit]');
    await until('the rollout set', 30_000, async () =>
      /Đã giao 1\.4\.2 cho 1 phòng/.test((await page.locator('#rollout-status').textContent()) ?? ''),
    );
    const row = page.locator('#rollout tbody tr', { hasText: 'room-demo' });
    await until('room-demo offered', 30_000, async () => ((await row.textContent()) ?? '').includes('Đã mời / Offered'));

    const offer = await report('room-demo'); // the room is offered it with its next report…
    expect(offer.update).toBeDefined();
    await report('room-demo', {
      version: '1.4.2',
      attempt: offer.update!.attempt,
      state: 'rolled-back',
      reason: 'không khỏe trong 60 s — not healthy within 60 s; về lại 1.3.9 — back on 1.3.9',
      at: new Date().toISOString(),
    });
    await until('the rollback shown', 30_000, async () => ((await row.textContent()) ?? '').includes('Đã quay về bản cũ / Rolled back'));
    expect(await row.getAttribute('class')).toBe('problem');
    expect(await row.textContent()).toContain('not healthy within 60 s');
    expect(await page.locator('#rollout tbody tr', { hasText: 'room-2' }).textContent()).toContain('Chưa giao / No target');
    if (process.env.SCREENSHOTS) await page.locator('#updates').screenshot({ path: 'docs/screenshots/fleet-updates.png' });
  }, 120_000);
});
