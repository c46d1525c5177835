import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createGateway, type Gateway } from '../../gateway/create-gateway.js';
import { startGstSource } from '../../gateway/test/gst-source.js';
import { startTestHub, type TestHub } from '../../gateway/test/test-hub.js';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';
import { freePort } from '../helpers/free-port.js';
import { testLocalBridge } from '../../gateway/test/local-bridge.js';

const SECRET = 'demo-room-secret';

/** Playing = a decoded picture whose clock moves. */
async function playing(page: Page, selector: string): Promise<{ width: number; advancing: boolean }> {
  await page.waitForFunction(
    (sel) => {
      const v = document.querySelector<HTMLVideoElement>(sel);
      return !!v && v.videoWidth > 0 && v.currentTime > 0;
    },
    selector,
    { timeout: 20_000 },
  );
  const t1 = await page.$eval(selector, (v) => (v as HTMLVideoElement).currentTime);
  await page.waitForTimeout(700);
  return page.$eval(
    selector,
    (v, t) => ({ width: (v as HTMLVideoElement).videoWidth, advancing: (v as HTMLVideoElement).currentTime > t }),
    t1,
  );
}

const bridge = testLocalBridge();
describe('kiosk bridge: the room page over WebRTC on loopback', () => {
  let hub: TestHub;
  let gateway: Gateway;
  let browser: TestBrowser;
  const sources: ReturnType<typeof startGstSource>[] = [];
  const remotePorts = { video: 0, audio: 0 };

  beforeAll(async () => {
    const [video, audio, gwPort, hubPort, rv, ra] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    Object.assign(remotePorts, { video: rv, audio: ra });
    hub = await startTestHub({ port: hubPort, secret: SECRET });
    gateway = createGateway({
      room: { id: 'room-demo', name: 'Phòng tiếp công dân' },
      gateway: { hubUrl: hub.url, host: '127.0.0.1', port: gwPort },
      hubLink: { signalUrl: hub.url, token: SECRET, wsOptions: {} }, // as an enrollment gives it (the fake hub's token)
      media: { videoRtpPort: video, audioRtpPort: audio },
      keyframeUrl: `http://127.0.0.1:1/none`, // no daemon: the gateway must not care
      local: bridge.local,
      logger: silentLogger(),
    });
    await gateway.start();
    sources.push(startGstSource({ video, audio }));
    browser = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await Promise.all(sources.map((s) => s.stop()));
    await hub?.stop();
  });

  it('shows the self-view, then a remote participant who joins, and drops them when they leave', async () => {
    const page = await browser.newPage();
    await page.goto(`${gateway.address()}/kiosk/test#ticket=${bridge.ticket()}`);
    expect(await page.textContent('h1')).toContain('Kiểm tra cầu nối kiosk');
    const self = await playing(page, 'video[data-participant="self"]');
    expect(self).toEqual({ width: 640, advancing: true });

    // An officer joins the hearing: the hub offers their media to the room.
    sources.push(startGstSource(remotePorts, { width: 320, height: 240, pattern: 'ball' }));
    await hub.offerParticipant('sub-1', { id: 'officer-1', name: 'Cán bộ Nguyễn Văn B' }, remotePorts);
    const remote = await playing(page, 'video[data-participant="officer-1"]');
    expect(remote).toEqual({ width: 320, advancing: true });
    expect(await page.textContent('figure[data-participant="officer-1"] figcaption')).toContain('Cán bộ Nguyễn Văn B');
    expect(gateway.status().remotes[0]).toMatchObject({ participant: { id: 'officer-1' } });
    expect(gateway.status().remotes[0]!.packetsReceived).toBeGreaterThan(0);

    await hub.unsubscribe('sub-1');
    await page.waitForSelector('video[data-participant="officer-1"]', { state: 'detached', timeout: 10_000 });
    expect((await playing(page, 'video[data-participant="self"]')).advancing).toBe(true);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  }, 60_000);
});
