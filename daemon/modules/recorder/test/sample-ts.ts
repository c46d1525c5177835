import { execFileSync } from 'node:child_process';

/**
 * Writes a real 2 s (or `seconds`) MPEG-TS as the worker's recording does (GStreamer's mpegtsmux: H.264 320×240 at
 * 30 fps, GOP 1 s, plus an Opus track unless `audio` is false).
 */
export function writeSampleTs(file: string, o: { audio?: boolean; seconds?: number } = {}): void {
  const seconds = o.seconds ?? 2;
  const video = ['videotestsrc', `num-buffers=${30 * seconds}`, '!', 'video/x-raw,framerate=30/1,width=320,height=240', '!'];
  const h264 = [
    'x264enc',
    'tune=zerolatency',
    'key-int-max=30',
    '!',
    'h264parse',
    '!',
    'mpegtsmux',
    'name=m',
    '!',
    'filesink',
    `location=${file}`,
  ];
  const opus = [
    'audiotestsrc',
    `num-buffers=${50 * seconds}`,
    'samplesperbuffer=960',
    '!',
    'audio/x-raw,rate=48000,channels=1',
    '!',
    'opusenc',
    '!',
    'opusparse',
    '!',
    'm.',
  ];
  execFileSync('gst-launch-1.0', ['-q', ...video, ...h264, ...(o.audio === false ? [] : opus)], { timeout: 60_000 });
}
