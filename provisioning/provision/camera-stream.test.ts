import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRtspPicture, type RtspPicture } from '../../simulators/rtsp-picture/index.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { probeStream, snapshot, withCredentials } from './camera-stream.js';

// The camera step's stream check against the simulator's real RTSP picture (gst-rtsp-server, so e2e): a
// constrained-baseline stream is passed through, a main-profile one (as many IP cameras send) needs a
// transcode; a snapshot is a 640 px JPEG. And a camera that is not there is said so.

describe('provision: camera stream (RTSP picture)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-stream-'));
  const pictures: RtspPicture[] = [];
  let baseline: RtspPicture;
  let main: RtspPicture;
  beforeAll(async () => {
    baseline = createRtspPicture({ port: await freePort() });
    main = createRtspPicture({ port: await freePort(), profile: 'main' });
    pictures.push(baseline, main);
    await Promise.all(pictures.map((p) => p.start()));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pictures.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells pass-through from transcode by the H.264 profile', async () => {
    expect(await probeStream(baseline.rtspUri)).toMatchObject({
      codec: 'h264',
      profile: 'Constrained Baseline',
      width: 1280,
      height: 720,
      passThrough: true,
    });
    expect(await probeStream(main.rtspUri)).toMatchObject({ codec: 'h264', profile: 'Main', passThrough: false });
  }, 60_000);

  it('takes a 640 px JPEG snapshot', async () => {
    const jpeg = await snapshot(baseline.rtspUri, join(dir, 'shot.jpg'));
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(readFileSync(join(dir, 'shot.jpg')).length).toBe(jpeg.length);
    // SOF0 marker: height then width, big-endian
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(jpeg.readUInt16BE(sof + 7)).toBe(640);
  }, 60_000);

  it('puts the camera credentials in an RTSP URI that has none, and fails on a dead one', async () => {
    expect(withCredentials('rtsp://10.0.0.5:554/s1', 'admin', 'p@ss')).toBe('rtsp://admin:p%40ss@10.0.0.5:554/s1');
    expect(withCredentials('rtsp://u:v@10.0.0.5/s1', 'admin', 'x')).toBe('rtsp://u:v@10.0.0.5/s1');
    await expect(probeStream(`rtsp://127.0.0.1:${await freePort()}/none`, 10_000)).rejects.toThrow();
  }, 30_000);
});
