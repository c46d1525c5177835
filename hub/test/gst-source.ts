import { spawn, type ChildProcess } from 'node:child_process';

// A live H.264 constrained-baseline test picture as RTP on a loopback UDP port (GStreamer), the
// same shape a room's media worker sends to its gateway.

export function startGstVideo(port: number): { child: ChildProcess; stop(): Promise<void> } {
  const pipeline =
    'videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! ' +
    'x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=300 ! video/x-h264,profile=constrained-baseline ! ' +
    `rtph264pay pt=96 config-interval=-1 aggregate-mode=zero-latency ! udpsink host=127.0.0.1 port=${port} sync=false`;
  const child = spawn('gst-launch-1.0', ['-q', ...pipeline.split(' ')], { stdio: 'ignore' });
  return {
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
