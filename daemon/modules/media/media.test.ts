import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { createRtspPicture, type RtspPicture } from '../../../simulators/rtsp-picture/index.js';
import { freePort } from '../../../tests/helpers/free-port.js';
import { until as pollUntil } from '../../../tests/helpers/until.js';
import { createEventBus, type MediaEvent } from '../events/event-bus.js';
import { createMedia, type Media } from './create-media.js';
import { ensureWorkerBuilt } from './ensure-built.js';
import { rtpProbe, type RtpProbe } from './rtp-probe.js';

// Real GStreamer, real processes: the simulated camera's RTSP server, the forked worker, UDP probes.

// Polled every 20 ms: source switches are timed against budgets of 1–2 s.
const until = <T>(what: string, ms: number, f: () => T) => pollUntil(what, ms, f, 20);

async function rig(opts: { cameraUp: boolean }) {
  ensureWorkerBuilt();
  const picture = createRtspPicture({ port: await freePort(), name: 'CAM-TEST' });
  if (opts.cameraUp) await picture.start();
  const video = await rtpProbe();
  const audio = await rtpProbe();
  const bus = createEventBus();
  const events: (MediaEvent & { at: number })[] = [];
  bus.on('media', (e) => events.push({ ...e, at: Date.now() }));
  const config = validateConfig({
    media: { rtspUri: picture.rtspUri, lossTimeoutMs: 300, videoRtpPort: video.port, audioRtpPort: audio.port },
  }).media;
  const media = createMedia({ config, room: { name: 'Phòng thử' }, cameras: new Map(), bus, logger: silentLogger(), silenceMs: 3000 });
  const startedAt = Date.now();
  await media.start();
  const sourceSince = (source: string, t: number) => events.find((e) => e.kind === 'source' && e.source === source && e.at >= t);
  return {
    picture,
    video,
    audio,
    media,
    events,
    startedAt,
    sourceSince,
    close: async () => (await media.stop(), await picture.stop(), await video.close(), await audio.close()),
  };
}

describe('media worker, camera up at start', () => {
  let r: Awaited<ReturnType<typeof rig>>;
  let media: Media, picture: RtspPicture, video: RtpProbe;
  beforeAll(async () => {
    r = await rig({ cameraUp: true });
    ({ media, picture, video } = r);
  }, 60_000);
  afterAll(async () => r?.close());

  it('sends H.264 RTP (pt 96) with a keyframe soon after start (~2 s target, printed)', async () => {
    const at = await until('a keyframe', 20_000, () => video.firstKeyframeAt);
    console.log(`first keyframe ${at - r.startedAt} ms after start`);
    expect(at - r.startedAt).toBeLessThan(20_000);
    expect(video.payloadTypes.has(96)).toBe(true);
  });

  it('puts the primary camera on air at ~30 fps', { timeout: 20_000 }, async () => {
    await until('primary on air', 8000, () => media.status().source === 'primary');
    const t0 = Date.now() + 1100; // from the first full stats window on the camera
    const windows = () => r.events.filter((e) => e.kind === 'stats' && e.at > t0);
    await until('4 stats windows on the camera', 15_000, () => windows().length >= 4);
    const fps = windows().map((e) => (e.kind === 'stats' ? e.fps : 0));
    const mean = fps.reduce((a, b) => a + b, 0) / fps.length;
    console.log(`fps on air (primary, 1 s windows): ${fps.join(', ')}`);
    expect(mean).toBeGreaterThanOrEqual(25); // 30 fps camera; a loaded CI box drops a few windows
    expect(Math.max(...fps)).toBeLessThanOrEqual(33);
    const s = media.status();
    expect(s.sources?.primary).toMatchObject({ alive: true, mode: 'passthrough', profile: 'constrained-baseline' });
    expect(s.bitrateKbps).toBeGreaterThan(500);
    expect(s.packetsOut).toBeGreaterThan(100);
  });

  it('sends Opus audio RTP (pt 111)', async () => {
    await until('audio packets', 3000, () => r.audio.times.length > 50);
    expect(r.audio.payloadTypes).toEqual(new Set([111]));
  });

  it('puts the slate on air within 1 s of losing the camera, without a gap in the RTP', async () => {
    const t0 = Date.now();
    await picture.stop();
    const stopped = Date.now(); // the camera's last keyframe came before this
    // The switch time (~1 s target) is a figure, printed and measured in the chaos camera-flap row; a loaded CI box
    // only bounds it widely (seen: 1.2 s at load 25).
    const ev = await until('slate on air', 10_000, () => r.sourceSince('slate', t0));
    const switchMs = ev.at - t0;
    // The slate's encoder idles while a camera is on air: its first frame after the switch is a forced keyframe.
    const kf = await until('a slate keyframe after the switch', 10_000, () => video.keyframeTimes.find((t) => t > stopped));
    await until('slate frames flowing', 10_000, () => video.countSince(Date.now() - 1000) > 10); // the slate keeps the stream going
    console.log(
      `slate switch: ${switchMs} ms after the camera stopped, its keyframe ${kf - ev.at} ms after the switch; RTP max gap ${video.maxGap(t0, Date.now())} ms`,
    );
    expect(kf - stopped).toBeLessThan(5000); // the switch + one slate frame and its encoding (~70 ms): a wide ceiling
    expect(switchMs).toBeLessThan(5000);
    expect(video.maxGap(t0)).toBeLessThan(3000); // no stop of the stream: a gap, not a hole of the camera's outage
  });

  it('returns to the primary by itself when the camera comes back', async () => {
    const t0 = Date.now();
    await picture.start();
    const ev = await until('primary back', 10_000, () => r.sourceSince('primary', t0));
    console.log(`primary back on air ${ev.at - t0} ms after the camera restarted`);
    expect(media.status().mode).toBe('auto');
  });

  it('obeys a manual selection of the slate and of the primary', async () => {
    let t0 = Date.now();
    media.select('slate');
    await until('manual slate', 5000, () => r.sourceSince('slate', t0));
    expect(media.status()).toMatchObject({ mode: 'manual', selection: 'slate' });
    expect(media.requestKeyframe().method).toBe('forced');
    t0 = Date.now();
    media.select('primary');
    await until('manual primary', 3000, () => r.sourceSince('primary', t0));
    expect(media.requestKeyframe()).toEqual({ onAir: 'primary', method: 'camera-gop' });
    media.select('auto');
  });

  it('restarts a killed worker, counts the restart, and the RTP resumes', async () => {
    const pid = media.status().workerPid!;
    execFileSync('kill', ['-9', String(pid)]);
    const t0 = Date.now();
    await until('a new worker', 15_000, () => media.status().state === 'running' && media.status().workerPid !== pid);
    expect(media.status().restarts).toBe(1);
    expect(media.health().reconnects).toBe(1);
    expect(r.events.some((e) => e.kind === 'restart')).toBe(true);
    await until('RTP again', 10_000, () => video.countSince(t0 + 300) > 20);
    console.log(`worker restart: RTP back ${video.times.find((t) => t > t0 + 100)! - t0} ms after kill -9`);
  });
});

describe('media worker, camera down at start', () => {
  let r: Awaited<ReturnType<typeof rig>>;
  beforeAll(async () => {
    r = await rig({ cameraUp: false });
  }, 60_000);
  afterAll(async () => r?.close());

  it('keeps the slate on air, then takes the primary when it comes up', async () => {
    const kf = await until('slate RTP', 10_000, () => r.video.firstKeyframeAt);
    // the slate stays on air while the camera is down: two stats windows after its first keyframe say so
    await until('two stats windows on the slate', 10_000, () => r.events.filter((e) => e.kind === 'stats' && e.at > kf).length >= 2);
    expect(r.media.status()).toMatchObject({ state: 'running', source: 'slate' });
    expect(r.media.status().sources?.primary.alive).toBe(false);
    const t0 = Date.now();
    await r.picture.start();
    await until('primary on air', 12_000, () => r.sourceSince('primary', t0));
    console.log(`slate → primary: RTP max gap ${r.video.maxGap(t0)} ms`);
    expect(r.video.maxGap(t0)).toBeLessThan(3000); // a switch without a stop of the stream (a loaded box delays packets)
  });
});
