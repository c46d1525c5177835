import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One decoded frame of an RTSP stream as 64x36 grayscale bytes: enough to tell two views apart. */
export async function grabGrayFrame(rtspUri: string): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-rtsp_transport',
      'tcp',
      '-i',
      rtspUri,
      '-frames:v',
      '1',
      '-vf',
      'scale=64:36',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      'pipe:1',
    ],
    { encoding: 'buffer', timeout: 15_000, maxBuffer: 1 << 20 },
  );
  return stdout;
}

/** Mean absolute difference per pixel, 0..255. */
export function frameDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(a[i] - b[i]);
  return n ? sum / n : 255;
}
