import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createGateway, type Gateway } from '../../gateway/create-gateway.js';
import { startGstSource } from '../../gateway/test/gst-source.js';
import { testLocalBridge } from '../../gateway/test/local-bridge.js';
import { roomId, startTestHub, waitFor } from '../../hub/test/hub-fixture.js';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';
import { freePort } from '../helpers/free-port.js';
import { audioLevel, videoPlaying } from '../helpers/media-checks.js';
import { startChromiumPublisher, startChromiumViewer } from './chromium-clients.js';
import { type GstClient, startWebrtcbinPublisher, startWebrtcbinViewer } from './gst-client.js';
import { gstTotals, measure, type Measured } from './measure.js';
import { startWeriftPublisher, startWeriftViewer } from './werift-clients.js';

// Issue 16 §1, the interop matrix: each publisher (Chromium, GStreamer webrtcbin max-bundle/balanced ×
// non-trickle/trickle, werift) WHIP-publishes into a hearing; three WHEP viewers (Chromium, webrtcbin, werift)
// watch it at once; each pair's decoded frames per second and audio RMS are measured at the viewer over a
// window; the room (a real gateway, in process) shows the WHIP participant on its kiosk page with sound; every
// DELETE is 200 and leaves no leg at the hub. One hub, one Chromium; publishers one after the other.

const WINDOW_MS = 4000;
const PUBLISHERS = [
  'Chromium',
  'webrtcbin max-bundle',
  'webrtcbin max-bundle trickle',
  'webrtcbin balanced',
  'webrtcbin balanced trickle',
  'werift',
] as const;
const VIEWERS = ['Chromium', 'webrtcbin', 'werift'] as const;
type Publisher = { location: string; stop(): Promise<number> };
/** Stops a Python client; the status its DELETE got (0: none). */
const stopped = async (c: GstClient) => (await c.stop(), Number(c.events.find((e) => e.event === 'deleted')?.status ?? 0));

const bridge = testLocalBridge();
// retry: one publisher's row again when it failed (at load 35–47 on this 2-core box a viewer once got no first frame
// in 45 s and the kiosk no picture in 30 s; at load 13–25 every row passed the first time).
describe('WHIP/WHEP interop matrix', { retry: 1 }, () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let gateway: Gateway;
  let gst: ReturnType<typeof startGstSource>;
  let browser: TestBrowser;
  let kiosk: Page;
  let hearing: string;
  const rows: string[] = [];
  const started = performance.now();

  beforeAll(async () => {
    hub = await startTestHub({ rooms: 1 });
    hearing = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Ma trận WHIP/WHEP', rooms: [roomId(1)] } })
    ).json().id;
    const [video, audio, port] = await Promise.all([freePort(), freePort(), freePort()]);
    gateway = createGateway({
      room: { id: roomId(1), name: 'Phòng tiếp công dân 1' },
      gateway: { hubUrl: hub.signalUrl, host: '127.0.0.1', port },
      hubLink: { signalUrl: hub.signalUrl, token: hub.roomToken(1), wsOptions: {} },
      media: { videoRtpPort: video, audioRtpPort: audio },
      keyframeUrl: 'http://127.0.0.1:1/none',
      local: bridge.local,
      logger: silentLogger(),
    });
    await gateway.start();
    gst = startGstSource({ video, audio }, { width: 320, height: 240, pattern: 'ball' });
    browser = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
    kiosk = await browser.newPage();
    await kiosk.goto(`${gateway.address()}/kiosk/test#ticket=${bridge.ticket()}`);
    await videoPlaying(kiosk, 'video[data-participant="self"]', 30_000);
  }, 90_000);

  afterAll(async () => {
    console.log(
      `\n| publisher → viewer | fps | audio RMS | audio | first frame |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n` +
        `matrix: ${Math.round((performance.now() - started) / 1000)} s, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    await browser?.close();
    await gateway?.stop();
    await gst?.stop();
    await hub?.stop();
  });

  const publish = async (name: (typeof PUBLISHERS)[number], url: string): Promise<Publisher> => {
    if (name === 'Chromium') return startChromiumPublisher(browser, hub.url, url);
    if (name === 'werift') return startWeriftPublisher(url);
    const pub = startWebrtcbinPublisher({
      url,
      bundlePolicy: name.includes('balanced') ? 'balanced' : 'max-bundle',
      trickle: name.endsWith('trickle'),
    });
    const answer = await pub.waitFor((e) => e.event === 'answer', 'the answer');
    if (answer.status !== 201) throw new Error(`webrtcbin POST ${answer.status}: ${answer.error}`);
    return { location: String(answer.location), stop: () => stopped(pub) };
  };

  const view = async (name: (typeof VIEWERS)[number], url: string) => {
    const t0 = performance.now();
    if (name === 'Chromium') {
      const v = await startChromiumViewer(browser, hub.url, url);
      return { measured: measure(v.sample, t0, WINDOW_MS, `${name} viewer`), stop: v.stop };
    }
    if (name === 'werift') {
      const v = await startWeriftViewer(url);
      return { measured: measure(gstTotals(v.decoder), t0, WINDOW_MS, `${name} viewer`, v.state), stop: v.stop };
    }
    const v = startWebrtcbinViewer({ url, bundlePolicy: 'max-bundle' });
    const state = () => JSON.stringify(v.events.at(-1));
    return { measured: measure(gstTotals(v), t0, WINDOW_MS, `${name} viewer`, state), stop: () => stopped(v) };
  };

  for (const name of PUBLISHERS)
    it(`${name} publishes; Chromium, webrtcbin and werift watch it; the room's kiosk shows it with sound`, async () => {
      const pub = await publish(name, `${hub.url}/whip/hearings/${hearing}`);
      const pid = pub.location.split('/').pop()!;
      const started: { stop(): Promise<number> }[] = [];
      let results: Measured[];
      let kioskRms: number;
      let pubStopped = false;
      try {
        const source = () => hub.conference.sources().find((s) => s.participantId === pid)?.received;
        await waitFor(
          () => (source()?.audio.packets ?? 0) > 25 && (source()?.video.packets ?? 0) > 25,
          30_000,
          `${name}: audio and video at the hub`,
        );
        const url = `${hub.url}/whep/hearings/${hearing}/participants/${pid}`;
        const viewers = await Promise.all(VIEWERS.map((v) => view(v, url).then((x) => (started.push(x), x))));
        results = await Promise.all(viewers.map((v) => v.measured));
        const selector = `video[data-participant="${pid}"]`;
        await videoPlaying(kiosk, selector, 60_000);
        kioskRms = await audioLevel(kiosk, selector);
        results.forEach((r, i) => rows.push(`| ${name} → ${VIEWERS[i]} | ${r.fps} | ${r.rms} | ${r.audio} | ${r.firstMs} ms |`));
        rows.push(`| ${name} → room kiosk | playing | ${kioskRms.toFixed(3)} | | load ${loadavg()[0]!.toFixed(1)} |`);
        const deletes = await Promise.all(started.splice(0).map((v) => v.stop()));
        expect(deletes).toEqual([200, 200, 200]);
        const deleted = await pub.stop();
        pubStopped = true;
        expect(deleted).toBe(200);
      } finally {
        // a failed row leaves nothing running for the retry
        await Promise.allSettled([...started.map((v) => v.stop()), ...(pubStopped ? [] : [pub.stop()])]);
      }
      await waitFor(
        () => !hub.conference.member(pid) && hub.conference.legs().every((l) => l.publisherId !== pid),
        15_000,
        `${name}: every leg gone`,
      );
      for (const [i, r] of results.entries()) {
        // Every pair must work: pictures decoded, the tone (RMS 0.212, Chromium's peak-based 0.3) at its level, audio
        // flowing. The figures are printed; the bounds are wide: on this 2-core box at load 43 pairs fell to 5 fps and 0.23
        // of the audio decoded in time (the Python decoders starved), at load 13 every pair was at 13–15 fps and ≥ 0.87.
        expect(r.fps, `${name} → ${VIEWERS[i]} fps`).toBeGreaterThan(2);
        expect(r.rms, `${name} → ${VIEWERS[i]} audio RMS`).toBeGreaterThan(0.1);
        expect(r.audio, `${name} → ${VIEWERS[i]} audio decoded per second`).toBeGreaterThan(0.1);
      }
      expect(kioskRms, `${name} → kiosk audio`).toBeGreaterThan(0.1); // an AnalyserNode's RMS of the tone: 0.21
    }, 120_000);
});
