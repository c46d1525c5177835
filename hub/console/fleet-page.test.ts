import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { addAccount } from '../accounts/test/signin-app.js';
import { createHub } from '../create-hub.js';
import { enrollInProcess } from '../test/enroll-room.js';
import { launchBrowser, type Page, type TestBrowser } from '../../tests/helpers/browser.js';
import { until } from '../../tests/helpers/until.js';
import { dayReport, FLEET_ROOMS, type FleetRoomId, silent } from './fleet-day.fixture.js';

// The fleet page in real Chromium against a real hub: a monitor signs in with a local account, sees every
// room with its problems standing out, opens a room and sees its 24 h as charts with gaps. The rooms'
// day is posted over HTTP on the hub's injected clock (fleet-day.fixture.ts), then the clock runs for
// real while the rooms still reporting send a report every 5 s. SCREENSHOTS=1 writes
// docs/screenshots/fleet-page.png and room-history.png.

const PASSWORD = 'mat-khau-giam-sat-2026';
const MIN = 60_000;
let fake: number | undefined;
const dir = mkdtempSync(join(tmpdir(), 'fleet-page-'));
const hub = createHub({
  host: '127.0.0.1',
  port: 0,
  publicUrl: '',
  tokens: [],
  allowLoopbackOfficers: false,
  ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
  stateDir: dir,
  archive: { enabled: false, dir: '', maxChunkMb: 4 },
  logger: silentLogger(),
  now: () => fake ?? Date.now(),
});
const tokens = new Map<FleetRoomId, string>();
let url = '';
const post = (room: FleetRoomId, body: object) =>
  fetch(`${url}/api/v1/fleet/rooms/${room}/report`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.get(room)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => expect(r.status).toBe(200));
let live: NodeJS.Timeout | undefined;
let browser: TestBrowser;
const failed: string[] = [];

describe('console: fleet page', () => {
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    await addAccount(dir, 'minh', PASSWORD, ['monitor']);
    const built = await hub.start();
    url = hub.address();
    for (const r of FLEET_ROOMS) tokens.set(r.id, (await enrollInProcess(built.enrollment, r.id, r.name)).token);
    const end = Date.now();
    const started = performance.now();
    for (let t = end - 24 * 60 * MIN; t <= end; t += MIN) {
      fake = t;
      await Promise.all(FLEET_ROOMS.filter((r) => !silent(r.id, end - t)).map((r) => post(r.id, dayReport(r.id, t, end - t))));
    }
    // Posting took real time: the minutes since `end` too (a busy box must not show that as an outage).
    for (let t = end + MIN; t <= Date.now(); t += MIN) {
      fake = t;
      await Promise.all(FLEET_ROOMS.filter((r) => !silent(r.id, 0)).map((r) => post(r.id, dayReport(r.id, t, 0))));
    }
    fake = undefined;
    console.info(`fleet page: a day of 5 rooms posted (one report a minute) in ${Math.round(performance.now() - started)} ms`);
    const beat = () => FLEET_ROOMS.filter((r) => !silent(r.id, 0)).map((r) => post(r.id, dayReport(r.id, Date.now(), 0)));
    await Promise.all(beat());
    live = setInterval(() => void Promise.all(beat()).catch(() => {}), 5_000);
    process.env.TZ = 'Asia/Ho_Chi_Minh'; // Chromium (started with this env) shows the times as an operator in Vietnam sees them
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    clearInterval(live);
    await browser?.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1760, height: 900 });
    await page.goto(`${url}/console/fleet.html`);
    await page.waitForURL(/signin\.html/, { timeout: 30_000 });
    await page.fill('#name', 'minh');
    await page.fill('#password', PASSWORD);
    await page.click('#signin-submit');
    await page.waitForURL(/fleet\.html/, { timeout: 30_000 });
    (page as Page & { errors: string[] }).errors.length = 0; // the 401s that sent it to the sign-in page
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${new URL(r.url()).pathname}`));
    return page;
  }
  const row = (page: Page, room: string) => page.locator(`#fleet tbody tr[data-room="${room}"]`);

  it('every room in the table, problems standing out; a room opens its 24 h as charts with gaps', async () => {
    const page = await signedIn();
    await row(page, 'room-5').waitFor({ timeout: 30_000 });
    expect(await page.locator('#fleet tbody tr').count()).toBe(5);
    expect(await page.locator('#who').textContent()).toContain('minh (monitor)');
    const text = async (room: string) => (await row(page, room).textContent()) ?? '';
    expect(await text('room-demo')).toContain('Trực tuyến / Online');
    expect(await text('room-2')).toMatch(/MẤT LIÊN LẠC (3\d|4\d) phút/);
    expect(await text('room-3')).toContain('KHÔNG GHI HÌNH ĐƯỢC: ổ đĩa đầy');
    expect(await text('room-4')).toMatch(/\+1[89]\d\d ms/); // clock off by almost 2 s
    expect(await text('room-4')).toContain('1.3.9 → 1.4.2: đã khôi phục bản cũ / rolled back');
    expect(await text('room-5')).toContain('qua TURN/TCP / via TURN/TCP');
    expect(await text('room-5')).toContain('không có cảm biến / no sensor');
    const problems = await page.locator('#fleet tbody tr.problem').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.room));
    expect(problems.sort()).toEqual(['room-2', 'room-3', 'room-4']);
    // Commissioning: '—' where the hub has none (or no such endpoint at all).
    const comm = await page.evaluate(() => fetch('/api/v1/fleet/commissioning').then((r) => (r.ok ? r.json() : [])));
    for (const r of FLEET_ROOMS)
      if (!comm.some((c: { room: string }) => c.room === r.id)) expect(await row(page, r.id).locator('td').last().textContent()).toBe('—');
    if (process.env.SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/fleet-page.png', fullPage: true });

    await page.evaluate(() => {
      const w = window as unknown as { opened: string[] };
      w.opened = [];
      document.querySelector('#room-view')!.addEventListener('fleet-room-open', (e) => w.opened.push((e as CustomEvent).detail.room));
    });
    await row(page, 'room-3').click();
    const charts = page.locator('#room-view[data-room="room-3"] #room-charts figure[data-field]');
    await until('the charts of room-3', 30_000, async () => (await charts.count()) === 11);
    expect(await page.locator('#room-title').textContent()).toContain('UBND huyện Đức Trọng');
    expect(await page.locator('#room-summary').textContent()).toMatch(/Mất liên lạc 1 lần, tổng 3\d phút/);
    const cpu = page.locator('#room-charts figure[data-field="cpuPct"] svg');
    expect(await cpu.locator('polyline').count()).toBeGreaterThanOrEqual(2); // the night outage breaks the line
    expect(await cpu.locator('rect.offline').count()).toBe(1);
    expect(await cpu.locator('text.xtick').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\d\d:00$/)]));
    expect(await page.locator('svg.strip rect.alarm').count()).toBeGreaterThan(10); // the last minutes: not recording
    expect(page.url()).toContain('room=room-3');
    expect(await page.locator('#room-ops').count()).toBe(1); // where remote operations go (hub/fleet-ops), told by an event
    expect(await page.evaluate(() => (window as unknown as { opened: string[] }).opened)).toEqual(['room-3']);
    if (process.env.SCREENSHOTS) {
      // The history itself: from the room's title to its last chart (panels below it have screenshots of their own).
      const view = (await page.locator('#room-view').boundingBox())!;
      const charts = (await page.locator('#room-charts').boundingBox())!;
      const scrollY = await page.evaluate(() => window.scrollY); // boxes are in the viewport, a full-page clip in the page
      const clip = { x: view.x, y: view.y + scrollY, width: view.width, height: charts.y + charts.height + 12 - view.y };
      await page.screenshot({ path: 'docs/screenshots/room-history.png', clip, fullPage: true });
    }
    // The silent room: its night outage and the last 40 min, both gaps; the view closes.
    await row(page, 'room-2').click();
    await page.locator('#room-view[data-room="room-2"] figure[data-field="cpuPct"] svg').waitFor({ timeout: 30_000 });
    expect(await page.locator('#room-summary').textContent()).toMatch(/^Mất liên lạc 2 lần, tổng (10\d|11\d) phút \/ Offline 2 times/);
    expect(await page.locator('figure[data-field="cpuPct"] svg rect.offline').count()).toBe(2);
    await page.click('#room-close');
    expect(await page.locator('#room-view').isHidden()).toBe(true);
    expect(page.url()).not.toContain('room=');
    // Nothing failed but, on a hub without hub/commissioning, its list (404: shown as '—'), the favicon, and the
    // remote operations panel's read (hub/fleet-ops: technicians only, a monitor is told so).
    const expected = /^(404 \/(api\/v1\/fleet\/commissioning|favicon\.ico)|403 \/api\/v1\/fleet\/rooms\/[^/]+\/ops)$/;
    expect(failed.filter((f) => !expected.test(f))).toEqual([]);
    // Console errors other than those responses (each checked just above).
    expect((page as Page & { errors: string[] }).errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    await page.close();
  }, 120_000);
});
