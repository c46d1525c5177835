import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorReply } from '../../common/http/error-reply.js';
import { mediaRoutes } from '../../daemon/modules/api/routes/media.js';
import { until } from '../helpers/until.js';
import { audioRmsDb, mediaRig, probeSegment, type MediaRig } from './media-devices-rig.js';

// A USB (UVC) camera and the room microphone through the real worker, to the RTP out and the recording.
// This box has no v4l2 device node and no v4l2loopback or snd-aloop module (a container: no
// /lib/modules, no /dev/video*, no /dev/snd), so:
// - the picture comes from `test:uvc-mjpeg` / `test:uvc-yuy2`, a GStreamer videotestsrc standing in for
//   the device node: it sends what a UVC camera sends (MJPEG 1280x720 or YUY2 640x480 at 30 fps) into the
//   same decode → scale → x264 chain a `v4l2:///dev/videoN` camera goes through; only v4l2src differs;
// - the sound comes from audioSource `test` (the worker's tone) through the microphone's chain;
// - a camera device node that does not exist (unplugged) and a real alsasrc on an ALSA card that does not
//   exist: each failure is named (the device and what is wrong), the room stays on air on what is left.
//   (gstreamer-superficial never reports an error raised while opening a device — its bus poll stops
//   while the pipeline is NULL — so the worker checks the node itself, and names a silent microphone.)

describe('media devices: a USB camera (test:uvc-mjpeg standing in for /dev/video0) and the microphone, recorded', () => {
  let r: MediaRig;
  beforeAll(async () => {
    r = await mediaRig({ rtspUri: 'test:uvc-mjpeg', backupUri: 'test:uvc-yuy2', audioSource: 'test' });
  }, 60_000);
  afterAll(async () => r?.close());

  it('puts the USB camera on air encoded as constrained-baseline at ~30 fps, keyframes on request', { timeout: 60_000 }, async () => {
    await until('USB camera on air', 30_000, () => r.media.status().source === 'primary');
    await until('its stats', 10_000, () => r.media.status().sources?.primary.alive);
    expect(r.media.status().sources?.primary).toMatchObject({ alive: true, mode: 'transcode', profile: 'constrained-baseline' });
    const t0 = Date.now();
    const stats = () => r.mediaEvents.filter((e) => e.kind === 'stats' && e.at > t0 + 1100);
    await until('4 stats windows', 15_000, () => stats().length >= 4);
    const fps = stats().map((e) => (e.kind === 'stats' ? e.fps : 0));
    console.log(`USB camera (MJPEG 720p → x264) on air, fps per 1 s window: ${fps.join(', ')}`);
    expect(fps.reduce((n, f) => n + f, 0) / fps.length).toBeGreaterThanOrEqual(15); // 30 fps source; three x264 encoders on a loaded 2-core box drop some
    expect(r.media.requestKeyframe()).toEqual({ onAir: 'primary', method: 'forced' });
    const k0 = r.video.keyframes;
    await until('a keyframe on the RTP out', 10_000, () => r.video.keyframes > k0);
  });

  it('the microphone reports sound arriving; a YUY2 USB camera as backup goes on air at once when picked', {
    timeout: 30_000,
  }, async () => {
    expect(r.media.status().microphone).toMatchObject({ source: 'test', alive: true });
    await until('backup (YUY2) alive', 15_000, () => r.media.status().sources?.backup?.alive);
    const t0 = Date.now();
    r.media.select('backup');
    const ev = await until('backup on air', 5000, () => r.onAirSince('backup', t0));
    console.log(`manual switch to the YUY2 USB backup: ${ev.at - t0} ms (encoded here: forced keyframe, no GOP wait)`);
    expect(ev.at - t0).toBeLessThan(2000);
    r.media.select('auto');
    await until('primary again', 5000, () => r.onAirSince('primary', ev.at));
  });

  it('records the USB backup camera and the microphone (heard whichever camera is on air); every segment plays', {
    timeout: 90_000,
  }, async () => {
    const t0 = Date.now();
    r.media.select('backup');
    await until('backup on air', 5000, () => r.onAirSince('backup', t0));
    const h = await r.hearings.startLocal('Phiên thử camera USB');
    await until('3 segments', 40_000, () => r.recorder.status().segments >= 3);
    await r.hearings.endCurrent('test');
    await until('closed', 15_000, () => r.recEvents.some((e) => e.kind === 'close'));
    await r.recorder.idle();
    r.media.select('auto');
    const ev = r.evidence(h.id);
    expect(ev.errors).toEqual([]);
    expect(ev.chainOk).toBe(true);
    for (const s of ev.segs) {
      const streams = probeSegment(ev.path(s));
      expect(streams.filter((st) => st.codec_type === 'video')).toMatchObject([
        { codec_name: 'h264', profile: 'Constrained Baseline', width: 1280, height: 720 },
      ]);
      expect(streams.filter((st) => st.codec_type === 'audio').length).toBe(2);
    }
    const db = ev.segs.map((s) => audioRmsDb(ev.path(s), 0));
    console.log(`microphone track RMS per segment (440 Hz tone at 0.2 ≈ −17 dBFS): ${db.map((d) => d.toFixed(1)).join(', ')}`);
    expect(Math.max(...db)).toBeGreaterThan(-25);
  });
});

describe('media devices: the USB camera and the ALSA microphone are missing', () => {
  const device = '/dev/video-reception-missing';
  const mic = 'hw:CARD=ReceptionMissingMic,DEV=0';
  let r: MediaRig;
  beforeAll(async () => {
    r = await mediaRig({ rtspUri: `v4l2://${device}`, backupUri: 'test:uvc-yuy2', audioSource: 'alsa', alsaDevice: mic });
  }, 60_000);
  afterAll(async () => r?.close());

  it('names the missing camera device and goes on air with the backup', { timeout: 40_000 }, async () => {
    await until('backup on air', 30_000, () => r.media.status().source === 'backup');
    const primary = await until(
      'the primary error',
      15_000,
      () => r.media.status().sources?.primary.lastError && r.media.status().sources?.primary,
    );
    console.log(`USB camera missing: ${primary.lastError}`);
    expect(primary.alive).toBe(false);
    expect(primary.lastError).toContain(`${device} does not exist`);
  });

  it('names the missing microphone; the room audio goes on (silence), the picture is untouched', { timeout: 40_000 }, async () => {
    const m = await until('the microphone error', 20_000, () => r.media.status().microphone?.lastError && r.media.status().microphone);
    console.log(`ALSA microphone missing: ${m.lastError}`);
    expect(m).toMatchObject({ source: 'alsa', device: mic, alive: false });
    expect(m.lastError).toContain(mic);
    expect(m.lastError).not.toMatch(/no element/); // alsasrc is installed (gstreamer1.0-alsa): the device itself failed
    const t0 = Date.now();
    await until(
      'a second of audio and video RTP',
      10_000,
      () => Date.now() - t0 > 1000 && r.audio.countSince(t0) > 30 && r.video.countSince(t0) > 20,
    );
    expect(r.audio.payloadTypes).toEqual(new Set([111]));
    expect(r.media.status().source).toBe('backup');
  });

  it('GET /api/v1/media/status tells a technician which device failed', async () => {
    const app = Fastify();
    app.addSchema(ErrorReply); // as create-api does
    await app.register(mediaRoutes, { prefix: '/api/v1/media', media: r.media });
    const res = await app.inject({ method: 'GET', url: '/api/v1/media/status' });
    await app.close();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sources.primary.lastError).toContain(device);
    expect(body.microphone).toMatchObject({ source: 'alsa', device: mic, alive: false });
    expect(body.microphone.lastError).toContain(mic);
  });
});
