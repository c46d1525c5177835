import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { videoPlaying } from '../helpers/media-checks.js';
import { tapText } from '../helpers/touch-typing.js';
import { json, ROOM_TECHNICIAN_TOKEN } from '../helpers/room-processes.js';

// The room as its users see it, with real processes: the hub, one simulated room (hardware sims,
// daemon + media worker, gateway), an officer on the console (Chromium, fake camera + microphone)
// and the room's kiosk page (the same Chromium, 1280×720 as on the smaller room screens). The room's
// daemon runs with the product's access defaults: the page reads as a loopback monitor and acts only
// through the PIN session; the test's own checks of the book use a technician token.
const PIN = '1357';
const asTechnician = { headers: { authorization: `Bearer ${ROOM_TECHNICIAN_TOKEN}` } };

describe('e2e: kiosk and console, the whole hearing flow', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startLinkedRoom>>;
  let browser: TestBrowser;
  let kiosk: Page;
  let officer: Page;
  const kioskUrls: string[] = [];
  const banner = () => kiosk.getAttribute('#banner', 'data-state');
  const simPosition = async () =>
    (await json(`${room.sim.ready.control}/sims`)).body.onvif.state.position as { pan: number; tilt: number; zoom: number };

  beforeAll(async () => {
    hub = await startHubProcess(1);
    room = await startLinkedRoom(hub, 1, { picture: true, kioskPin: PIN, loopbackRole: 'monitor' });
    browser = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
    kiosk = await browser.newPage();
    // Every URL the kiosk page asks for: no credential (session token, bridge ticket) may be in one.
    kiosk.on('request', (r) => kioskUrls.push(r.url()));
    kiosk.on('websocket', (ws) => kioskUrls.push(ws.url()));
    await kiosk.setViewportSize({ width: 1280, height: 720 });
    await kiosk.goto(`${room.api}/kiosk/`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await room?.stop();
    await hub?.stop();
  });

  it('an idle room: "Sẵn sàng", no recording notice, the link in plain words', async () => {
    await expect.poll(banner, { timeout: 30_000 }).toBe('idle');
    await expect.poll(() => kiosk.textContent('#banner'), { timeout: 5000 }).toContain('Sẵn sàng');
    expect(await kiosk.isVisible('#recording-notice')).toBe(false);
    await expect.poll(() => kiosk.textContent('#network'), { timeout: 20_000 }).toMatch(/Kết nối (tốt|chậm)/);
    expect(await kiosk.isVisible('#controls')).toBe(false); // officer controls stay locked
  });

  it('the console creates a hearing with the room: the kiosk shows the officer and the recording notice', {
    timeout: 150_000,
  }, async () => {
    officer = await browser.newPage();
    await officer.setViewportSize({ width: 1280, height: 720 });
    await officer.goto(`${hub.url}/console/?name=C%C3%A1n%20b%E1%BB%99%20Lan`);
    await officer.locator('#rooms tr[data-room="room-demo"] input[type=checkbox]').check({ timeout: 20_000 });
    await officer.fill('#title', 'Phiên tiếp công dân thử nghiệm');
    const created = Date.now();
    await officer.click('#create-join');
    await expect.poll(async () => (await room.gatewayState()).hearing?.title, { timeout: 20_000 }).toBe('Phiên tiếp công dân thử nghiệm');

    // The officer's camera (Chromium's fake device) is the big picture on the kiosk.
    await expect.poll(banner, { timeout: 60_000, interval: 250 }).toBe('in-hearing');
    console.info(`figure: console "create and join" → kiosk shows the officer: ${Date.now() - created} ms`);
    const main = await kiosk.getAttribute('#officer figure.big', 'data-participant');
    expect(main).toMatch(/./);
    await videoPlaying(kiosk, `#officer video[data-participant="${main}"]`, 30_000);
    await videoPlaying(kiosk, '#self-video', 30_000);
    await expect.poll(() => kiosk.isVisible('#recording-notice'), { timeout: 20_000 }).toBe(true);
    expect(await kiosk.textContent('#recording-notice')).toContain('Phiên tiếp công dân đang được ghi hình');
    expect(await kiosk.textContent('#recording-notice')).toContain('This session is being recorded');
    await expect.poll(() => kiosk.textContent('#recording-elapsed'), { timeout: 5000 }).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    // The console sees the room too.
    await videoPlaying(officer, 'video[data-participant="room-demo"]', 60_000);
  });

  it('a wrong PIN is refused; the right PIN unlocks the controls; a preset button moves the camera', { timeout: 60_000 }, async () => {
    const enter = async (pin: string) => {
      for (const d of pin) await kiosk.click(`#pin-pad [data-digit="${d}"]`);
      await kiosk.click('#pin-ok');
    };
    await kiosk.click('#officer-button');
    await kiosk.waitForSelector('#pin-pad', { state: 'visible' });
    await enter('0000');
    await expect.poll(() => kiosk.textContent('#pin-error'), { timeout: 5000 }).toMatch(/\S/);
    expect(await kiosk.isVisible('#controls')).toBe(false);
    await enter(PIN);
    await kiosk.waitForSelector('#controls', { state: 'visible', timeout: 5000 });

    // The technician's presets, as named buttons; "Tài liệu" is stored at pan -0.35, tilt -0.45, zoom 0.7.
    const button = kiosk.locator('button.preset[data-camera="cam1"]', { hasText: 'Tài liệu' });
    await button.waitFor({ timeout: 10_000 });
    // Only the room's named presets (config order), though the dome lists ~280 slots with its function presets.
    expect(await kiosk.locator('button.preset[data-camera="cam1"]').allTextContents()).toEqual([
      'Công dân · Citizen',
      'Toàn cảnh · Whole room',
      'Tài liệu · Documents',
    ]);
    expect((await simPosition()).zoom).toBeLessThan(0.5);
    await button.click();
    await expect.poll(async () => (await simPosition()).zoom, { timeout: 15_000, interval: 250 }).toBeCloseTo(0.7, 2);
    const at = await simPosition();
    expect(at.pan).toBeCloseTo(-0.35, 2);
    expect(at.tilt).toBeCloseTo(-0.45, 2);
  });

  it('kill the gateway: the kiosk says "reconnecting" and recovers by itself when the gateway returns', { timeout: 150_000 }, async () => {
    const killed = Date.now();
    await room.killGateway();
    await expect.poll(banner, { timeout: 15_000, interval: 250 }).toBe('reconnecting');
    console.info(`figure: gateway killed → kiosk says reconnecting: ${Date.now() - killed} ms`);
    expect(await kiosk.textContent('#banner')).toContain('Đang kết nối lại');
    expect(await kiosk.isVisible('#recording-notice')).toBe(true); // the room keeps recording meanwhile
    const restarted = Date.now();
    await room.restartGateway();
    await expect.poll(banner, { timeout: 90_000, interval: 250 }).toBe('in-hearing');
    const main = await kiosk.getAttribute('#officer figure.big', 'data-participant');
    await videoPlaying(kiosk, `#officer video[data-participant="${main}"]`, 45_000);
    console.info(`figure: gateway started again → kiosk back in the hearing with the officer's picture: ${Date.now() - restarted} ms`);
  });

  it('the officer ends the hearing on the console: the kiosk returns to idle', { timeout: 60_000 }, async () => {
    const ended = Date.now();
    await officer.click('#end');
    await expect.poll(banner, { timeout: 30_000, interval: 250 }).toBe('idle');
    console.info(`figure: console "end hearing" → kiosk idle: ${Date.now() - ended} ms`);
    await expect.poll(() => kiosk.isVisible('#recording-notice'), { timeout: 10_000 }).toBe(false);
    expect((await json(`${room.api}/api/v1/hearings/current`)).body.hearing).toBeNull();
  });

  it('unlocked, the officer starts and ends a local hearing from the kiosk (hub unreachable case)', { timeout: 60_000 }, async () => {
    if (!(await kiosk.isVisible('#controls'))) {
      await kiosk.click('#officer-button');
      for (const d of PIN) await kiosk.click(`#pin-pad [data-digit="${d}"]`);
      await kiosk.click('#pin-ok');
      await kiosk.waitForSelector('#controls', { state: 'visible', timeout: 5000 });
    }
    await kiosk.click('#start-hearing');
    await expect
      .poll(async () => (await json(`${room.api}/api/v1/hearings/current`)).body.hearing?.source, { timeout: 10_000 })
      .toBe('local');
    await expect.poll(() => kiosk.isVisible('#recording-notice'), { timeout: 15_000 }).toBe(true);

    // The reception book, filled on the kiosk, is filed with this hearing's recording (its signed manifest).
    const local = (await json(`${room.api}/api/v1/hearings/current`)).body.hearing.id as string;
    await expect.poll(async () => (await json(`${room.api}/api/v1/recording`)).body.hearing, { timeout: 15_000 }).toMatch(/\.room-demo/);
    const recordingId = (await json(`${room.api}/api/v1/recording`)).body.hearing as string;
    await kiosk.click('#open-book');
    await kiosk.waitForSelector('#book-form', { state: 'visible' });
    const fill = (name: string, value: string) => kiosk.fill(`#book-form [name="${name}"]`, value);
    await fill('officer.name', 'Cán bộ Lan');
    await fill('officer.unit', 'Ban Tiếp công dân tỉnh');
    // The citizen's name on the on-screen keyboard (the room box has no keyboard): letters, ⇧, tones.
    await kiosk.click('#book-form [name="citizen.fullName"]');
    await kiosk.waitForSelector('#osk', { state: 'visible' });
    const typingStarted = Date.now();
    await tapText(kiosk, 'Nguyễn Văn Bình');
    console.info(`typed 15 characters (23 taps) in ${Date.now() - typingStarted} ms`);
    expect(await kiosk.inputValue('#book-form [name="citizen.fullName"]')).toBe('Nguyễn Văn Bình');
    await kiosk.click('#osk [data-action="done"]');
    await kiosk.waitForSelector('#osk', { state: 'hidden' });
    await fill('citizen.address', 'Phường Điện Biên, Ba Đình, Hà Nội');
    await fill('citizen.idNumber', '001085012345');
    await kiosk.selectOption('#book-form [name="classification"]', 'petition');
    await fill('summary', 'Kiến nghị về việc cấp giấy chứng nhận quyền sử dụng đất.');
    await fill('handling', 'Hướng dẫn công dân nộp hồ sơ tại UBND phường.');
    await kiosk.locator('#book-form button[type="submit"]').click();
    await expect
      .poll(async () => (await json(`${room.api}/api/v1/hearings/${recordingId}/book`)).body?.summary, { timeout: 10_000 })
      .toBe('Kiến nghị về việc cấp giấy chứng nhận quyền sử dụng đất.');
    // The identity is the officer's and technician's to read, not the kiosk's loopback monitor's.
    expect((await json(`${room.api}/api/v1/hearings/${recordingId}/book`, asTechnician)).body?.citizen?.fullName).toBe('Nguyễn Văn Bình'); // typed on the touch keyboard
    expect((await json(`${room.api}/api/v1/hearings/${recordingId}/book`)).body?.citizen?.fullName).not.toBe('Nguyễn Văn Bình');
    expect((await json(`${room.api}/api/v1/hearings/${local}/book`)).status).toBe(404); // not a stray hearing of its own
    await kiosk.waitForSelector('#book-form', { state: 'hidden' });

    await kiosk.click('#end-hearing');
    await kiosk.click('#confirm-end-yes');
    await expect.poll(async () => (await json(`${room.api}/api/v1/hearings/current`)).body.hearing, { timeout: 10_000 }).toBeNull();
    await expect.poll(banner, { timeout: 15_000 }).toBe('idle');
    // The page unlocked, acted, reconnected the bridge after the gateway's restart: never a credential in a URL.
    expect(kioskUrls.some((u) => u.includes('/kiosk/signal'))).toBe(true);
    expect(kioskUrls.filter((u) => /[?&#;](token|ticket|pin|password)=/i.test(u))).toEqual([]);
    // Every page error would have been an error page or a broken UI for the people in the room.
    expect(
      (kiosk as Page & { errors: string[] }).errors.filter((e) => !/WebSocket|Failed to load resource|ERR_CONNECTION_REFUSED/.test(e)),
    ).toEqual([]);
  });
});
