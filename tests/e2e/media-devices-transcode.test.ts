import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRtspPicture, type RtspPicture } from '../../simulators/rtsp-picture/index.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';
import { audioRmsDb, mediaRig, probeSegment, type MediaRig } from './media-devices-rig.js';

// Transcode mode end to end: an IP camera sending High profile H.264 (what many send; WebRTC receivers
// need not decode it) over a real RTSP server. transcode: auto must see the profile, re-encode as
// constrained-baseline 720p, and both the RTP out and the recording carry the re-encoded stream.

describe('media devices: a High-profile RTSP camera is transcoded (transcode: auto)', () => {
  let cam: RtspPicture;
  let r: MediaRig;
  beforeAll(async () => {
    cam = createRtspPicture({ port: await freePort(), name: 'CAM-HIGH', profile: 'high' });
    await cam.start();
    // With credentials, as a camera without ONVIF is configured (this server asks for none: rtspsrc sends them only when challenged).
    r = await mediaRig({ rtspUri: cam.rtspUri.replace('rtsp://', 'rtsp://admin:s3cret@'), transcode: 'auto', audioSource: 'camera' });
  }, 60_000);
  afterAll(async () => {
    await r?.close();
    await cam?.stop();
  });

  it('the camera really sends High profile (ffprobe on its RTSP stream)', () => {
    const out = execFileSync(
      'ffprobe',
      ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v:0', '-show_entries', 'stream=profile', '-of', 'csv=p=0', cam.rtspUri],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(out.trim()).toBe('High');
  });

  it('puts the camera on air transcoded, keeps the camera profile in the status, forces keyframes', { timeout: 60_000 }, async () => {
    await until('primary on air', 40_000, () => r.media.status().source === 'primary');
    console.log(
      `High-profile camera on air (transcoded) ${Date.now() - r.startedAt} ms after the worker ran (its first frames showed High: rebuilt transcoding)`,
    );
    await until('stats of the camera on air', 10_000, () => r.media.status().sources?.primary.alive); // stats come each second
    expect(r.media.status().sources?.primary).toMatchObject({ alive: true, mode: 'transcode', profile: 'high' });
    expect(r.media.requestKeyframe()).toEqual({ onAir: 'primary', method: 'forced' });
    // The status is the monitor role's read: the camera's password is not in it.
    expect(r.media.status().primaryUri).toBe(cam.rtspUri.replace('rtsp://', 'rtsp://admin:***@'));
    const k0 = r.video.keyframes;
    await until('a keyframe on the RTP out', 10_000, () => r.video.keyframes > k0);
    expect(r.video.payloadTypes.has(96)).toBe(true);
  });

  it('records constrained-baseline 1280x720 with the camera sound; every segment plays', { timeout: 90_000 }, async () => {
    const h = await r.hearings.startLocal('Phiên thử chuyển mã');
    await until('3 segments', 40_000, () => r.recorder.status().segments >= 3);
    await r.hearings.endCurrent('test');
    await until('closed', 15_000, () => r.recEvents.some((e) => e.kind === 'close'));
    await r.recorder.idle();
    const ev = r.evidence(h.id);
    expect(ev.errors).toEqual([]);
    expect(ev.chainOk).toBe(true);
    expect(ev.segs.length).toBeGreaterThanOrEqual(3);
    for (const s of ev.segs) {
      const streams = probeSegment(ev.path(s));
      const v = streams.filter((st) => st.codec_type === 'video');
      expect(v).toMatchObject([{ codec_name: 'h264', profile: 'Constrained Baseline', width: 1280, height: 720 }]);
      expect(streams.filter((st) => st.codec_type === 'audio').map((st) => st.codec_name)).toEqual(['opus', 'opus']);
    }
    const db = ev.segs.map((s) => audioRmsDb(ev.path(s), 0));
    console.log(`room audio RMS per segment (camera's 440 Hz tone, G.711 → Opus): ${db.map((d) => d.toFixed(1)).join(', ')} dBFS`);
    expect(Math.max(...db.slice(1))).toBeGreaterThan(-40);
  });
});
