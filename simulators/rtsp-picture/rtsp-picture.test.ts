// Integration: a real gst-rtsp-server child on loopback, checked with ffprobe/ffmpeg.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRtspPicture, type RtspPicture } from './index.js';

const run = promisify(execFile);
const W = 64;
const H = 36;
const OSD_ROWS = 3; // the top rows carry the name/position/clock text

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** Decode a picture (JPEG buffer or one RTSP frame) to W x H grey; via RGB so JPEG full range and H.264 TV range compare. */
function gray(input: Buffer | string): Promise<Buffer> {
  const src = typeof input === 'string' ? ['-rtsp_transport', 'tcp', '-i', input] : ['-i', 'pipe:0'];
  const args = ['-v', 'error', ...src, '-frames:v', '1', '-vf', `format=rgb24,scale=${W}:${H},format=gray`, '-f', 'rawvideo', 'pipe:1'];
  return new Promise((resolve, reject) => {
    const p = execFile('ffmpeg', args, { encoding: 'buffer', timeout: 10_000 }, (err, out) => (err ? reject(err) : resolve(out)));
    if (typeof input !== 'string') p.stdin?.end(input);
  });
}

/** Mean absolute difference per pixel (0..255), below the overlay rows. */
function diff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = OSD_ROWS * W; i < W * H; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / (W * (H - OSD_ROWS));
}

const probe = (uri: string) =>
  run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_streams', '-of', 'json', uri], { timeout: 10_000 });

describe('rtsp-picture', () => {
  let cam: RtspPicture;
  beforeAll(async () => {
    cam = createRtspPicture({ port: await freePort(), name: 'CAM-TEST' });
    cam.setView({ pan: -0.5, tilt: 0.3, zoom: 0 }); // remembered before start
    await cam.start();
  });
  afterAll(() => cam.stop());

  it('serves H.264 constrained baseline 1280x720 plus audio', async () => {
    expect(cam.health().state).toBe('running');
    const { streams } = JSON.parse((await probe(cam.rtspUri)).stdout) as { streams: Record<string, unknown>[] };
    const video = streams.find((s) => s.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', profile: 'Constrained Baseline', width: 1280, height: 720 });
    expect(streams.some((s) => s.codec_type === 'audio')).toBe(true);
  });

  it('shows the current view in snapshots and in the stream', async () => {
    const t0 = performance.now();
    const a = await gray(await cam.snapshot());
    expect(performance.now() - t0).toBeLessThan(2000);
    const again = await gray(await cam.snapshot());
    expect(diff(a, again)).toBeLessThan(2);

    cam.setView({ pan: 0.8, tilt: -0.6, zoom: 0.9 });
    await new Promise((r) => setTimeout(r, 500));
    const b = await gray(await cam.snapshot());
    expect(diff(a, b)).toBeGreaterThan(20);
    // The RTSP picture follows too: a live frame matches the snapshot of the same view.
    const live = await gray(cam.rtspUri);
    expect(diff(b, live)).toBeLessThan(4);
    expect(diff(a, live)).toBeGreaterThan(20);
  });

  it('refuses a port already taken, with the reason', async () => {
    const port = Number(new URL(cam.rtspUri.replace('rtsp:', 'http:')).port);
    const twin = createRtspPicture({ port });
    await expect(twin.start()).rejects.toThrow(/already in use/i);
    expect(twin.health().state).toBe('stopped');
  });

  it('stop() takes RTSP down and start() brings it back on the same port', async () => {
    await cam.stop();
    expect(cam.health().state).toBe('stopped');
    await expect(probe(cam.rtspUri)).rejects.toThrow();
    await expect(cam.snapshot()).rejects.toThrow(/stopped/);
    await cam.start();
    const { streams } = JSON.parse((await probe(cam.rtspUri)).stdout) as { streams: unknown[] };
    expect(streams).toHaveLength(2);
  });
});
