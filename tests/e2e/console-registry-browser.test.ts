import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollInProcess } from '../../hub/test/enroll-room.js';
import { startTestHub } from '../../hub/test/hub-fixture.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';

// The console in real Chromium, as a technician sees it (this test hub trusts loopback with every role):
// the registry section lists the enrolled rooms with their key; revoking one from the page turns it
// "Đã thu hồi / Revoked" there and in the rooms table (its checkbox off); issuing a code shows it once.

describe('console: room registry (technician)', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let browser: TestBrowser;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 0, allowLoopbackOfficers: true });
    browser = await launchBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('shows enrolled rooms, revokes one, issues a code', async () => {
    const a = await enrollInProcess(hub.enrollment, 'room-a', 'Phòng A');
    await enrollInProcess(hub.enrollment, 'room-b', 'Phòng B');
    const page = await browser.newPage();
    page.on('dialog', (d) => void d.accept('thiết bị bị mất / box lost'));
    await page.goto(`${hub.url}/console/`);
    const rowA = page.locator('#registry-rooms tbody tr[data-room="room-a"]');
    await rowA.locator('td').nth(1).filter({ hasText: 'Đã ghi danh / Enrolled' }).waitFor();
    expect(await rowA.locator('td').nth(2).textContent()).toContain(a.fingerprint.slice(0, 16));

    await rowA.getByRole('button', { name: 'Thu hồi / Revoke' }).click();
    await rowA.locator('td').nth(1).filter({ hasText: 'Đã thu hồi / Revoked' }).waitFor();
    expect(await rowA.locator('td').nth(2).textContent()).toContain('thiết bị bị mất / box lost');
    expect(hub.enrollment.registry.roomByToken(a.token)).toBeUndefined();
    await page.reload();
    const lobbyA = page.locator('#rooms tbody tr[data-room="room-a"]');
    await lobbyA.locator('td.revoked', { hasText: 'Đã thu hồi / Revoked' }).waitFor();
    expect(await lobbyA.locator('input').isDisabled()).toBe(true);

    await page.fill('#enroll-room', 'room-c');
    await page.fill('#enroll-name', 'Phòng C');
    await page.click('#enroll-code button');
    await page.locator('#registry-message', { hasText: 'reception enroll --hub' }).waitFor();
    expect(await page.textContent('#registry-message')).toMatch(/room-c: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  });
});
