import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { audioLevel, videoPlaying } from '../helpers/media-checks.js';
import { json } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';
import { startWebrtcbinPublisher } from './gst-client.js';

// Issue 16 §1, through a whole room: the built hub and a simulated room (daemon, media worker on its slate,
// gateway) as processes; a GStreamer webrtcbin max-bundle publisher (the client) WHIP-publishes into the
// room's hearing; the room's real kiosk page (kiosk-ui, the daemon's /kiosk/) shows it and plays its sound.

describe('WHIP publisher on a room’s kiosk', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startLinkedRoom>>;
  let browser: TestBrowser;
  let kiosk: Page;
  beforeAll(async () => {
    hub = await startHubProcess(1);
    room = await startLinkedRoom(hub, 1, { picture: false, record: false, loopbackRole: 'monitor' });
    browser = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
    kiosk = await browser.newPage();
    await kiosk.setViewportSize({ width: 1280, height: 720 });
    await kiosk.goto(`${room.api}/kiosk/`);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await room?.stop();
    await hub?.stop();
  });

  it('the kiosk shows the WHIP participant with sound; after its DELETE the kiosk drops it', { timeout: 180_000 }, async () => {
    const created = await json(`${hub.url}/api/v1/hearings`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Phiên có người gửi WHIP', rooms: ['room-demo'] }),
    });
    expect(created.status).toBe(201);
    await until('the room in the hearing', 30_000, async () => (await room.gatewayState()).hearing?.id === created.body.id);
    const started = performance.now();
    const pub = startWebrtcbinPublisher({ url: `${hub.url}/whip/hearings/${created.body.id}`, bundlePolicy: 'max-bundle' });
    try {
      const answer = await pub.waitFor((e) => e.event === 'answer', 'the answer');
      expect(answer.status).toBe(201);
      const pid = String(answer.location).split('/').pop()!;
      const selector = `video[data-participant="${pid}"]`;
      const size = await videoPlaying(kiosk, selector, 60_000);
      const level = await until('sound at the kiosk', 30_000, async () => {
        const l = await audioLevel(kiosk, selector);
        return l > 0.1 && l;
      });
      console.log(
        `room kiosk: ${pid} playing ${size.width}×${size.height}, audio RMS ${level.toFixed(3)}, ${Math.round(performance.now() - started)} ms after the POST; load ${loadavg()[0]!.toFixed(1)}`,
      );
      expect(size.width).toBe(320);
      await pub.stop();
      expect(pub.events.find((e) => e.event === 'deleted')?.status).toBe(200);
      await kiosk.waitForSelector(selector, { state: 'detached', timeout: 30_000 });
    } finally {
      await pub.stop();
    }
  });
});
