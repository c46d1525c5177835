import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

// The camera's stream as the room will take it: ffprobe (the tool the recorder already uses) reads the
// first video stream's codec, profile and size; ffmpeg takes one frame as a JPEG for the report. The
// room passes H.264 constrained-baseline (and baseline) through to browsers; anything else is transcoded.

const run = promisify(execFile);

export interface StreamInfo {
  codec: string;
  profile: string;
  width: number;
  height: number;
  fps: number | null;
  /** Passed through as is (H.264 constrained-baseline or baseline), else the worker must transcode. */
  passThrough: boolean;
}

/** The URI with the camera's credentials in it when it has none (most cameras ask for them on RTSP too). */
export function withCredentials(uri: string, username: string, password: string): string {
  const u = new URL(uri);
  if (!u.username && username) [u.username, u.password] = [encodeURIComponent(username), encodeURIComponent(password)];
  return u.toString();
}

export async function probeStream(uri: string, timeoutMs = 20_000): Promise<StreamInfo> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-rtsp_transport',
      'tcp',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,profile,width,height,avg_frame_rate',
      '-of',
      'json',
      uri,
    ],
    { timeout: timeoutMs },
  );
  const s = (JSON.parse(stdout) as { streams?: Record<string, unknown>[] }).streams?.[0];
  if (!s) throw new Error('không có luồng hình / no video stream in the answer');
  const [n, d] = String(s.avg_frame_rate ?? '0/0')
    .split('/')
    .map(Number);
  const profile = String(s.profile ?? 'unknown');
  const codec = String(s.codec_name ?? 'unknown');
  return {
    codec,
    profile,
    width: Number(s.width ?? 0),
    height: Number(s.height ?? 0),
    fps: n && d ? Math.round((n / d) * 10) / 10 : null,
    passThrough: codec === 'h264' && /^(constrained baseline|baseline)$/i.test(profile),
  };
}

/** One frame of the stream as a JPEG, 640 px wide (the report embeds it). */
export async function snapshot(uri: string, file: string, timeoutMs = 20_000): Promise<Buffer> {
  await run(
    'ffmpeg',
    ['-v', 'error', '-y', '-rtsp_transport', 'tcp', '-i', uri, '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '5', file],
    { timeout: timeoutMs },
  );
  return readFile(file);
}
