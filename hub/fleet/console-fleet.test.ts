import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBook } from '../../common/evidence/test/chain-fixture.js';
import { launchBrowser, type TestBrowser } from '../../tests/helpers/browser.js';
import { startTestHub } from '../test/hub-fixture.js';

// The officers' console in real Chromium: room health in plain words, and the reception book form
// (submit → pending → the room's ack → "written at the room"). The room is played by plain HTTP reports.

const report = (over: object = {}) => ({
  at: new Date().toISOString(),
  version: 'test',
  uptimeS: 5,
  status: 'ok',
  reportSeconds: 10,
  devices: [
    { id: 'cam1', kind: 'camera', state: 'online' },
    { id: 'audio', kind: 'audio', state: 'online' },
  ],
  media: { state: 'online', source: 'primary' },
  gateway: { state: 'connected' },
  recording: { state: 'recording', hearing: 'x', segments: 7 },
  uploader: { state: 'uploading', backlogFiles: 3, backlogBytes: 12_400_000, oldestAgeS: 9 },
  disk: { freeMb: 51_200, minutesLeft: null },
  ...over,
});

describe('console: fleet health and reception book', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let browser: TestBrowser;
  const post = (body: object) =>
    fetch(`${hub.url}/api/v1/fleet/rooms/room-demo/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.roomToken(1)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json());

  beforeAll(async () => {
    hub = await startTestHub({ rooms: 2 });
    browser = await launchBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('rooms table: health in plain words; "no report yet" for a silent room', async () => {
    await post(report());
    const page = await browser.newPage();
    await page.goto(`${hub.url}/console/`);
    const cell = page.locator('#rooms tbody tr[data-room="room-demo"] td.health');
    await cell.waitFor();
    const text = await cell.textContent();
    for (const words of [
      'Camera: tốt / OK',
      'Âm thanh: tốt / Audio: OK',
      'Đang ghi hình (7 đoạn)',
      '3 đoạn chờ gửi (12,4 MB) / 3 segments waiting (12.4 MB)',
      'Đĩa còn 50 GB',
    ])
      expect(text).toContain(words);
    expect(await page.locator('#rooms tbody tr[data-room="room-2"] td.health').textContent()).toContain('Chưa có báo cáo / No report yet');
    // Disk full at the room: the first line says the hearing is not being recorded (no "recording" line beside it).
    await post(
      report({
        recording: {
          state: 'recording',
          hearing: 'x',
          segments: 7,
          alarm: { reason: 'disk-full', since: new Date().toISOString(), message: 'splitmuxsink: No space left on device' },
        },
      }),
    );
    await page.waitForFunction(
      () =>
        /KHÔNG GHI HÌNH ĐƯỢC: ổ đĩa đầy/.test(
          document.querySelector('#rooms tbody tr[data-room="room-demo"] td.health')?.textContent ?? '',
        ),
      undefined,
      { timeout: 15_000 },
    );
    const first = await cell.locator('span').first().textContent();
    expect(first).toMatch(/^KHÔNG GHI HÌNH ĐƯỢC: ổ đĩa đầy \(từ \d\d:\d\d:\d\d\) \/ NOT RECORDING: disk full \(since \d\d:\d\d:\d\d\)$/);
    expect(await cell.textContent()).not.toContain('Đang ghi hình');
    await post(report()); // cleared
    await page.close();
  }, 30_000);

  it('book form: submit → pending → the room writes and acknowledges → "written at the room"', async () => {
    const hearing = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Phiên sổ', rooms: ['room-demo', 'room-2'] } })
    ).json().id;
    const page = await browser.newPage();
    await page.goto(`${hub.url}/console/?join=${hearing}&name=C%C3%A1n%20b%E1%BB%99%20Lan`);
    await page.locator('#book-form').waitFor();
    expect(await page.locator('#book-room option').allTextContents()).toEqual(['room-demo', 'room-2']);
    const b = sampleBook('complaint');
    await page.fill('[name="officer.unit"]', b.officer.unit);
    await page.fill('[name="citizen.fullName"]', b.citizen.fullName);
    await page.fill('[name="citizen.address"]', b.citizen.address);
    await page.fill('[name="citizen.idNumber"]', b.citizen.idNumber);
    await page.selectOption('[name="classification"]', 'complaint');
    await page.fill('[name="summary"]', b.summary);
    await page.fill('[name="handling"]', b.handling);
    await page.click('#book-submit');
    await page.waitForFunction(() => /chờ phòng/i.test(document.querySelector('#book-status')?.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    // The room reports: it gets the entry (as the officer typed it) and, next time, acknowledges it.
    const answer = await post(report());
    expect(answer.book).toHaveLength(1);
    expect(answer.book[0].entry).toMatchObject({
      officer: { name: 'Cán bộ Lan', unit: b.officer.unit },
      citizen: { fullName: b.citizen.fullName },
      classification: 'complaint',
      participants: { rooms: ['room-demo', 'room-2'], officers: ['Cán bộ Lan'] },
    });
    expect(answer.book[0].entry.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
    await post(report({ acks: [{ hearing, version: answer.book[0].version, ok: true, sha256: 'c'.repeat(64) }] }));
    await page.waitForFunction(
      () => /Đã ghi tại phòng \/ Written at the room/.test(document.querySelector('#book-status')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    // The other room has none yet.
    await page.selectOption('#book-room', 'room-2');
    await page.waitForFunction(() => /Chưa ghi sổ/.test(document.querySelector('#book-status')?.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    // In the hearing, a room of it whose disk fills: the officers see it above the pictures, until it clears.
    await post(
      report({
        recording: {
          state: 'recording',
          hearing: 'x',
          segments: 7,
          alarm: { reason: 'disk-full', since: new Date().toISOString(), message: 'No space left on device' },
        },
      }),
    );
    await page.waitForFunction(
      () =>
        /: KHÔNG GHI HÌNH ĐƯỢC: ổ đĩa đầy .* NOT RECORDING: disk full/.test(
          document.querySelector('#call-alarms p[data-room="room-demo"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 15_000 },
    );
    await post(report());
    await page.waitForFunction(() => (document.querySelector('#call-alarms') as HTMLElement | null)?.hidden === true, undefined, {
      timeout: 15_000,
    });
    await page.close();
  }, 60_000);
});
