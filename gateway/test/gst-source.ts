import { spawn, type ChildProcess } from 'node:child_process';

/** Test RTP like the media worker's: H.264 constrained-baseline pt 96 + Opus pt 111 to loopback UDP. */
export function startGstSource(
  ports: { video: number; audio: number },
  opts: { width?: number; height?: number; pattern?: string /** e.g. ['ip', 'netns', 'exec', ns]: run it there */; prefix?: string[] } = {},
) {
  const { width = 640, height = 360, pattern = 'smpte', prefix = [] } = opts;
  const args = [
    '-q',
    'videotestsrc',
    'is-live=true',
    `pattern=${pattern}`,
    '!',
    `video/x-raw,width=${width},height=${height},framerate=30/1`,
    '!',
    'x264enc',
    'tune=zerolatency',
    'speed-preset=ultrafast',
    'key-int-max=30',
    '!',
    'video/x-h264,profile=constrained-baseline',
    '!',
    'rtph264pay',
    'pt=96',
    'config-interval=1',
    '!',
    'udpsink',
    'host=127.0.0.1',
    `port=${ports.video}`,
    'audiotestsrc',
    'is-live=true',
    'wave=sine',
    '!',
    'audioconvert',
    '!',
    'audioresample',
    '!',
    'opusenc',
    '!',
    'rtpopuspay',
    'pt=111',
    '!',
    'udpsink',
    'host=127.0.0.1',
    `port=${ports.audio}`,
  ];
  const [cmd, ...pre] = [...prefix, 'gst-launch-1.0'];
  const child: ChildProcess = spawn(cmd!, [...pre, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
