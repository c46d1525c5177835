import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { until } from '../../../tests/helpers/until.js';
import { createAudioInput } from '../../drivers/media/worker/audio-input.js';
import { createIngest } from '../../drivers/media/worker/ingest.js';
import { rtpProbe, type RtpProbe } from './rtp-probe.js';

// Issue 12 (clock faults): the worker's camera ingest and microphone measured silence on the wall clock, so
// a step of the box's clock (+1 h: NTP after a boot without RTC) read as an hour without frames — the camera
// declared lost (slate on air) and its pipeline rebuilt, the microphone rebuilt — and a step back (−5 min)
// reported frames from the future (negative ages). Real GStreamer in this process (a test picture encoded as
// a USB camera's, a test tone); only Date is stepped, the monotonic clock runs on.

describe('media worker sources and a wall-clock step', () => {
  let video: RtpProbe, audio: RtpProbe;
  let ingest: ReturnType<typeof createIngest>, mic: ReturnType<typeof createAudioInput>;
  const lost: string[] = [];
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  const failures = () => lines.filter((l) => /camera ingest failed|audio input failed/.test(l));

  beforeAll(async () => {
    video = await rtpProbe();
    audio = await rtpProbe();
    ingest = createIngest({
      name: 'primary',
      uri: 'test:uvc-yuy2',
      port: video.port,
      transcode: 'auto',
      lossTimeoutMs: 3000, // generous: the test picture is encoded in this process, on a loaded box
      log,
      onFrame: () => undefined,
      onAlive: (alive, reason) => void (!alive && lost.push(reason)),
    });
    mic = createAudioInput({ source: 'test', alsaDevice: 'default', port: audio.port, log });
    ingest.start();
    mic.start();
    await until('camera and microphone alive', 60_000, () => ingest.alive && mic.liveness().alive);
  }, 90_000);
  afterAll(async () => {
    vi.useRealTimers();
    ingest?.stop();
    mic?.stop();
    await video?.close();
    await audio?.close();
  });

  /** The worker's tick (every 250 ms): n checks of both. */
  const ticks = (n: number) => {
    let i = 0;
    return until(`${n} ticks`, 30_000, () => (ingest.check(), mic.check(), ++i >= n), 250);
  };

  it('+1 h: no silence, nothing lost or rebuilt', { timeout: 60_000 }, async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() + 3_600_000 });
    await ticks(8);
    expect(lost).toEqual([]);
    expect(failures()).toEqual([]);
    expect(ingest.alive).toBe(true);
    expect(ingest.liveness().lastFrameAgoMs).toBeLessThan(5000);
    expect(mic.liveness()).toMatchObject({ alive: true });
    vi.useRealTimers();
  });

  it('a worker loop held up 4.5 s (a starved box) is no lost camera', { timeout: 60_000 }, async () => {
    lost.length = 0;
    lines.length = 0;
    await ticks(4);
    const end = performance.now() + 4500; // past lossTimeoutMs
    while (performance.now() < end); // frames and sound wait unread meanwhile, as behind a starved event loop
    ingest.check(); // the tick that fired late, before the loop reads what waited
    mic.check();
    await new Promise((r) => setImmediate(r)); // one turn of the loop: the waiting frames are read
    await ticks(4);
    expect(lost).toEqual([]);
    expect(failures()).toEqual([]);
    expect(ingest.alive).toBe(true);
  });

  it('−5 min: ages and frame rate stay true, nothing lost', { timeout: 60_000 }, async () => {
    lost.length = 0;
    lines.length = 0;
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() - 300_000 });
    await ticks(8);
    const cam = ingest.liveness();
    const sound = mic.liveness();
    console.log(
      `after −5 min: camera lastFrameAgoMs ${cam.lastFrameAgoMs}, fps ${cam.fps}; microphone lastBufferAgoMs ${sound.lastBufferAgoMs}`,
    );
    expect(cam.lastFrameAgoMs).toBeGreaterThanOrEqual(0);
    expect(cam.lastFrameAgoMs).toBeLessThan(5000);
    expect(cam.fps).toBeLessThanOrEqual(40); // a 30 fps picture: frames timed before the step must not count as the last second's
    expect(sound.lastBufferAgoMs).toBeGreaterThanOrEqual(0);
    expect(lost).toEqual([]);
    expect(failures()).toEqual([]);
    vi.useRealTimers();
  });
});
