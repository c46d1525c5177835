import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kioskDistDir } from '../../daemon/modules/api/routes/kiosk.js';
import { startRecordingAlarmRig } from '../../daemon/modules/fleet-report/test/recording-alarm-rig.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';

// The kiosk page (built kiosk-ui, real Chromium) while the disk is full: the recording notice becomes
// a warning, Vietnamese first, that the session is NOT recorded and that the central point has been
// told (the in-process hub accepted the report), never "being recorded" beside it; it clears when a segment is written again. The room: daemon/modules/fleet-report/test/recording-alarm-rig.ts.

describe('e2e: kiosk page, disk full', () => {
  let rig: Awaited<ReturnType<typeof startRecordingAlarmRig>>;
  let browser: TestBrowser;
  beforeAll(async () => {
    if (!existsSync(join(kioskDistDir(), 'index.html'))) throw new Error('kiosk-ui/dist missing: run `npm run build` (npm test does it)');
    rig = await startRecordingAlarmRig({ listen: true });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('warns in Vietnamese then English while the recording fails, and clears', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${rig.url()}/kiosk/`);
    const notice = page.locator('#recording-notice');
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toContain('Phiên tiếp công dân đang được ghi hình');

    rig.diskFull();
    await expect.poll(() => notice.getAttribute('data-alarm'), { timeout: 15_000 }).toBe('disk-full');
    await expect
      .poll(() => page.locator('#recording-text .vi').textContent(), { timeout: 15_000 })
      .toBe('Ổ đĩa đầy: phiên này KHÔNG được ghi hình — đã báo về trung tâm');
    expect(await page.locator('#recording-text .en').textContent()).toBe(
      'Disk full: this session is NOT being recorded — the central point has been told',
    );
    expect(await notice.isVisible()).toBe(true);
    expect(await page.locator('#recording-elapsed').isVisible()).toBe(false);
    const screen = await page.locator('body').innerText();
    expect(screen).not.toContain('Phiên tiếp công dân đang được ghi hình');
    expect(screen).not.toContain('This session is being recorded');

    rig.segmentClosed();
    await expect.poll(() => notice.getAttribute('data-alarm'), { timeout: 15_000 }).toBeNull();
    expect(await notice.textContent()).toContain('Phiên tiếp công dân đang được ghi hình');
    await page.close();
  });
});
