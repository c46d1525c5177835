import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { validateConfig } from '../../daemon/config/load-config.js';
import { SimDsp } from '../../daemon/drivers/dsp/sim-dsp.js';
import { buildApi } from '../../daemon/modules/api/create-api.js';
import { kioskDistDir } from '../../daemon/modules/api/routes/kiosk.js';
import { createAudioFollow } from '../../daemon/modules/audio-follow/create-audio-follow.js';
import { FOLLOW, simCamera } from '../../daemon/modules/audio-follow/test/follow-rig.js';
import { createAuditLog } from '../../daemon/modules/audit/audit-log.js';
import { assembleDevices } from '../../daemon/modules/devices/create-devices.js';
import { createEventBus } from '../../daemon/modules/events/event-bus.js';
import { createKioskSessions } from '../../daemon/modules/kiosk/kiosk-sessions.js';
import { hashPin } from '../../daemon/modules/kiosk/pin-hash.js';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';

// The kiosk page (built kiosk-ui, real Chromium) over an in-process daemon API with the audio-follow
// module on (simulated meters and camera): the footer says which mode is on, Vietnamese first; the
// officer's switch turns it off and on; a camera nudge from the kiosk pauses it. KIOSK_DIST may point
// at another build of the page (default kiosk-ui/dist, made by `npm run build`).
const PIN = '2468';
const DIST = process.env.KIOSK_DIST ?? kioskDistDir();

describe('e2e: kiosk shows the audio-follow mode', () => {
  let app: FastifyInstance;
  let browser: TestBrowser;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST} missing: run \`npm run build\` (npm test does it)`);
    const config = validateConfig({ kiosk: { pinHash: await hashPin(PIN) } });
    const { cam } = simCamera();
    const dsp = new SimDsp({ channels: FOLLOW.rules.map((r) => ({ id: r.channel, name: r.channel })), meterRateMs: 100 });
    const bus = createEventBus();
    const devices = assembleDevices([{ config: config.cameras[0], driver: cam }], dsp, [], bus, silentLogger());
    await devices.start();
    const audit = createAuditLog(join(mkdtempSync(join(tmpdir(), 'follow-audit-')), 'audit.jsonl'));
    const follow = createAudioFollow({
      config: FOLLOW,
      meterRateMs: 100,
      cameras: devices.cameras,
      dsp,
      bus,
      audit,
      logger: silentLogger(),
    });
    await follow.start();
    const sessions = createKioskSessions(config.kiosk);
    app = await buildApi({
      host: '127.0.0.1',
      port: 0,
      room: { id: 'room-test', name: 'Phòng thử' },
      version: 'test',
      access: { loopbackRole: 'monitor', tokens: [] },
      audit,
      devices,
      bus,
      audioFollow: follow,
      logger: silentLogger(),
      kiosk: { sessions, settings: config.kiosk, gateway: { host: '127.0.0.1', port: 9 }, dir: DIST, bridgeSecret: randomBytes(32) },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    close = async () => (await app.close(), await follow.stop(), await devices.stop());
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    const a = app.server.address() as { port: number };
    await page.goto(`http://127.0.0.1:${a.port}/kiosk/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  const footer = () => page.locator('#follow-mode').innerText();

  it('the footer says the camera follows the speaker, Vietnamese first', async () => {
    await expect.poll(footer, { timeout: 15_000 }).toMatch(/^Camera tự động theo người nói\s+·?\s*Camera follows the speaker$/);
    expect(await page.getAttribute('#follow-mode', 'data-level')).toBe('auto');
    expect(await page.isVisible('#follow-toggle')).toBe(false); // officer controls locked
  });

  it('the officer switches it off and on; a camera nudge pauses it', { timeout: 60_000 }, async () => {
    await page.click('#officer-button');
    for (const d of PIN) await page.click(`#pin-pad button[data-digit="${d}"]`);
    await page.click('#pin-ok');
    const toggle = page.locator('#follow-toggle');
    await expect.poll(() => toggle.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await toggle.innerText()).toContain('Tắt camera tự động');
    await toggle.click();
    await expect.poll(footer, { timeout: 15_000 }).toContain('Camera: điều khiển tay');
    expect(await page.getAttribute('#follow-mode', 'data-level')).toBe('off');
    expect(await toggle.innerText()).toContain('Bật camera tự động');
    await toggle.click();
    await expect.poll(footer, { timeout: 15_000 }).toContain('Camera tự động theo người nói');

    await page.click('button.nudge[data-dir="left"]');
    await expect.poll(footer, { timeout: 15_000 }).toMatch(/Camera tự động: tạm dừng sau khi chỉnh tay \(còn \d+ giây\)/);
    expect(await page.getAttribute('#follow-mode', 'data-level')).toBe('paused');
  });
});
