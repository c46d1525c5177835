import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuShare } from '../../bench/lib/cpu.js';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { freePort } from '../helpers/free-port.js';
import { type JanusProcess, janusMissing, startJanus } from '../helpers/janus-server.js';
import { videoPlaying } from '../helpers/media-checks.js';
import { json } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// The hub with Janus VideoRoom as its media plane (media.plane janus): a real Janus 1.1.2 process (Debian's
// package, its HTTP API on loopback with an API secret), a `reception hub` process driving it, a whole simulated
// room (daemon + GStreamer worker + werift gateway) and an officer in Chromium on the console. The officer sees the
// room's picture, the room's gateway receives the officer — both through Janus. Printed: time to picture and the
// CPU of the hub and Janus over 10 s (E2E_MEDIA_PLANE=werift runs the same hearing on the werift plane, for the
// comparison in docs/PERFORMANCE.md). The room does not record: recording does not go through the media plane.

const missing = janusMissing();
const plane = process.env.E2E_MEDIA_PLANE === 'werift' ? 'werift' : 'janus';

describe.skipIf(missing)(`e2e: a hearing through Janus VideoRoom${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  let janus: JanusProcess | undefined;
  let hub: Awaited<ReturnType<typeof startHubProcess>> | undefined;
  let room: Awaited<ReturnType<typeof startLinkedRoom>> | undefined;
  let browser: TestBrowser | undefined;
  let page: Page;
  let hearing: string;
  let janusOpts: Parameters<typeof startJanus>[1];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-janus-'));
    const secretFile = join(dir, 'janus-api-secret');
    writeFileSync(secretFile, 'bi-mat-cua-hub\n', { mode: 0o600 });
    writeFileSync(join(dir, 'janus-admin-secret'), 'bi-mat-quan-tri\n', { mode: 0o600 });
    const admin = { port: await freePort(), secret: 'bi-mat-quan-tri' };
    janusOpts = { rtpPorts: [44000, 44999], apiSecret: 'bi-mat-cua-hub', admin, port: await freePort() };
    janus = await startJanus(join(dir, 'janus'), janusOpts);
    const env: Record<string, string> =
      plane === 'janus'
        ? {
            RECEPTION_HUB_MEDIA_PLANE: 'janus',
            RECEPTION_HUB_JANUS_URL: janus.url,
            RECEPTION_HUB_JANUS_API_SECRET_FILE: secretFile,
            RECEPTION_HUB_JANUS_ADMIN_URL: janus.admin!.url,
            RECEPTION_HUB_JANUS_ADMIN_SECRET_FILE: join(dir, 'janus-admin-secret'),
          }
        : {};
    mkdirSync(join(dir, 'hub'));
    hub = await startHubProcess(1, { stateDir: join(dir, 'hub'), env });
    room = await startLinkedRoom(hub, 1, { picture: true, record: false });
    const created = await json(`${hub.url}/api/v1/hearings`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Phiên qua Janus', rooms: [room.id] }),
    });
    expect(created.status).toBe(201);
    hearing = created.body.id;
    await until(
      'the room publishing',
      60_000,
      async () => ((await json(`${hub!.url}/api/v1/rooms`)).body as { publishing: boolean }[])[0]?.publishing,
      250,
    );
    browser = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await room?.stop();
    await hub?.stop();
    await janus?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`the officer sees the room and the room receives the officer, through ${plane}`, { timeout: 120_000 }, async () => {
    const t0 = Date.now();
    await page.goto(`${hub!.url}/console/?join=${hearing}&name=C%C3%A1n%20b%E1%BB%99%20Mai`, { timeout: 30_000 });
    const size = await videoPlaying(page, 'video[data-participant="room-demo"]', 45_000);
    const pictureMs = Date.now() - t0;
    expect(size.width).toBeGreaterThan(0);
    const officer = ((await json(`${hub!.url}/api/v1/hearings/${hearing}`)).body.participants as { id: string; kind: string }[]).find(
      (p) => p.kind === 'officer',
    )!.id;
    const received = async () =>
      ((await room!.gatewayState()).remotes as { participant: { id: string }; packetsReceived: number }[]).find(
        (r) => r.participant.id === officer,
      )?.packetsReceived ?? 0;
    await until(
      async () => `room receives the officer (${await received()} packets)`,
      45_000,
      async () => (await received()) > 100,
      250,
    );
    // The room's packets as the media plane counts them (Janus: its Admin API, read when the stats are asked for).
    const roomStats = async () =>
      (
        (await json(`${hub!.url}/api/v1/hearings/${hearing}/stats`)).body as {
          participants: { id: string; publishState: string; received: { video: { packets: number } } | null }[];
        }
      ).participants.find((p) => p.id === 'room-demo');
    await until(
      async () => `hub stats count the room (${JSON.stringify(await roomStats())})`,
      15_000,
      async () => {
        const s = await roomStats();
        return s?.publishState === 'connected' && (s.received?.video.packets ?? 0) > 100;
      },
    );
    const load = loadavg()[0]!.toFixed(1);
    const cpu = await cpuShare({ hub: hub!.child.pid!, janus: janus!.child.pid! }, 10_000);
    console.info(
      `[${plane}] console shows room-demo ${pictureMs} ms after opening; CPU over 10 s (% of a core): hub ${cpu.hub}, janus ${cpu.janus}; load ${load}→${loadavg()[0]!.toFixed(1)}`,
    );
  });

  /** Video frames the console decoded of the room in the last second (0: no picture, or a frozen one). */
  const framesPerSecond = async () => {
    const frames = () =>
      page
        .$eval('video[data-participant="room-demo"]', (v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames)
        .catch(() => 0);
    const f0 = await frames();
    await new Promise((r) => setTimeout(r, 1000));
    return (await frames()) - f0;
  };

  it.skipIf(plane !== 'janus')(
    'Janus down mid-hearing, then back: the room and the officer are told to reconnect, nobody publishes meanwhile, picture and the officer come back by themselves',
    { timeout: 120_000 },
    async () => {
      const officer = async () =>
        ((await json(`${hub!.url}/api/v1/hearings/${hearing}`)).body.participants as { id: string; kind: string }[]).find(
          (p) => p.kind === 'officer',
        )?.id;
      const before = await officer();
      const t0 = Date.now();
      await janus!.stop(); // SIGTERM: Janus's sessions (and every leg) are gone with it
      // While Janus is down the room reconnects; its publish waits for Janus (media.janus.timeoutMs, then 503 and MOVED).
      const publishing = async () => ((await json(`${hub!.url}/api/v1/rooms`)).body as { publishing: boolean }[])[0]?.publishing;
      await until('the hub sees the room without a publish connection', 20_000, async () => (await publishing()) === false, 100);
      const downMs = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 2000)); // a room retrying against a Janus still down, for a while
      janus = await startJanus(join(dir, 'janus'), janusOpts);
      await until(
        async () => `the console decodes the room's picture again (${await framesPerSecond()} frames/s)`,
        60_000,
        async () => (await framesPerSecond()) > 3,
        250,
      );
      const pictureBackMs = Date.now() - t0;
      const after = await until('the officer reconnected (a new participant id)', 30_000, async () => {
        const id = await officer();
        return id !== before && id;
      });
      expect(after).toMatch(/^officer-\d+$/);
      const receivedFrom = async (id: string | undefined) =>
        ((await room!.gatewayState()).remotes as { participant: { id: string }; packetsReceived: number }[]).find(
          (r) => r.participant.id === id,
        )?.packetsReceived ?? 0;
      await until(
        async () => `room receives the reconnected officer (${await receivedFrom(after)})`,
        45_000,
        async () => (await receivedFrom(after)) > 100,
        250,
      );
      console.info(
        `[janus] stopped: the room unpublished at the hub after ${downMs} ms; started 2 s later: the console decodes the room again ${pictureBackMs} ms after the stop, the room receives the officer ${Date.now() - t0} ms after it`,
      );
    },
  );
});
