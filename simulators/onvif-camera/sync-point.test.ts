// Issue 15 target 4: the simulated camera answers Media SetSynchronizationPoint with an IDR on its RTSP picture
// (real gst-rtsp-server, real RTSP client). Judged by GOP position, not by wall time.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifSoapClient } from '../../daemon/drivers/ptz/onvif/soap-client.js';
import { syncPointRequest } from '../../daemon/drivers/ptz/onvif/sync-point.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';
import { createRtspPicture, type RtspPicture } from '../rtsp-picture/index.js';
import { createOnvifCameraSim, type OnvifCameraSim } from './index.js';
import { type GopWatch, gopWatch } from './test/gop-watch.js';

const creds = { username: 'admin', password: 'reception' };

describe('onvif-camera SetSynchronizationPoint', () => {
  let picture: RtspPicture, sim: OnvifCameraSim, watch: GopWatch, client: OnvifSoapClient, rtsp: ChildProcess;
  beforeAll(async () => {
    picture = createRtspPicture({ port: await freePort(), name: 'CAM-SYNC' });
    await picture.start();
    sim = createOnvifCameraSim({ ...creds, port: 0, discovery: null, picture });
    await sim.start();
    client = new OnvifSoapClient({ ...creds, auth: 'auto', deviceUrl: sim.xaddr });
    await client.syncClock(AbortSignal.timeout(5000));
    watch = await gopWatch();
    // A real RTSP client (TCP); its video RTP goes to the watch unchanged.
    const pipeline = `rtspsrc location=${picture.rtspUri} protocols=tcp latency=0 name=s s. ! application/x-rtp,media=video ! udpsink host=127.0.0.1 port=${watch.port} sync=false s. ! application/x-rtp,media=audio ! fakesink`;
    rtsp = spawn('gst-launch-1.0', ['-q', ...pipeline.split(' ')], { stdio: 'ignore' });
  }, 60_000);
  afterAll(async () => {
    rtsp?.kill('SIGKILL');
    await watch?.close();
    await sim?.stop();
    await picture?.stop();
  });

  const ask = (token = 'Profile_1') =>
    client.call(sim.xaddr.replace('device_service', 'media_service'), syncPointRequest(token), AbortSignal.timeout(10_000));

  it('the next IDR comes right after the request, well before the GOP would give one', async () => {
    await until('three IDRs (the GOP measured)', 30_000, () => watch.idrAt.length >= 3);
    const gop = watch.gop()!;
    console.log(`camera GOP ${gop} frames`);
    // Ask early in a GOP, so the camera's own next IDR is far off.
    await until('early in a GOP', 30_000, () => (watch.sinceIdr() ?? 99) <= 3 && (watch.sinceIdr() ?? 0) >= 1, 5);
    const lastIdr = watch.idrAt.at(-1)!;
    const askedAt = watch.frames - lastIdr;
    await ask();
    const next = await until('the next IDR', 30_000, () => watch.idrAt.find((f) => f > lastIdr));
    console.log(`asked at GOP position ${askedAt}; IDR at position ${next - lastIdr} (the GOP's own: ${gop})`);
    expect(next - lastIdr).toBeLessThan(gop - 2);
    // The camera counts its GOP again from the forced IDR (x264 key-int-max), as cameras do.
    await until('the GOP after it', 30_000, () => watch.idrAt.some((f) => f > next));
  }, 120_000);

  it('a profile the camera does not have is a fault (ter:NoProfile)', async () => {
    await expect(ask('NoSuchProfile')).rejects.toThrow(/No such profile/);
  });
});
