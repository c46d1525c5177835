// What a camera URI names (pure): a network camera (RTSP), a USB/UVC camera on a v4l2 device node, or
// a test picture that arrives the way a UVC camera's does. The worker builds one ingest per kind.

export const TEST_CAMERA_FORMATS = ['uvc-yuy2', 'uvc-mjpeg'] as const;
export type TestCameraFormat = (typeof TEST_CAMERA_FORMATS)[number];

export type CameraSource =
  | { kind: 'rtsp'; uri: string }
  /** A USB (UVC) camera or an HDMI/SDI capture stick: raw or MJPEG frames, always encoded here. */
  | { kind: 'v4l2'; device: string }
  /**
   * videotestsrc shaped like a UVC camera (YUY2 640x480 or MJPEG 1280x720, 30 fps): commissioning a room
   * without its camera, and the tests of a box without a v4l2 device node (no v4l2loopback module).
   */
  | { kind: 'test'; format: TestCameraFormat };

/** `rtsp://…`, `v4l2:///dev/video0` (or the bare `/dev/video0`), `test:uvc-yuy2` / `test:uvc-mjpeg`. */
export function parseCameraUri(uri: string): CameraSource {
  if (/^rtsps?:\/\//i.test(uri)) return { kind: 'rtsp', uri };
  const device = /^v4l2:\/\/(\/dev\/[\w./-]+)$/.exec(uri)?.[1] ?? /^(\/dev\/[\w./-]+)$/.exec(uri)?.[1];
  if (device && !device.includes('..')) return { kind: 'v4l2', device };
  const test = /^test:(.+)$/.exec(uri)?.[1];
  if (test && (TEST_CAMERA_FORMATS as readonly string[]).includes(test)) return { kind: 'test', format: test as TestCameraFormat };
  throw new Error(
    `camera URI "${redactCameraUri(uri)}" is not usable: expected rtsp://…, v4l2:///dev/videoN or test:${TEST_CAMERA_FORMATS.join('|test:')}`,
  );
}

/** The URI for logs and status: an RTSP password never leaves the worker's pipeline (logs, the monitor's API). */
export function redactCameraUri(uri: string): string {
  try {
    const u = new URL(uri);
    if (!u.password) return uri;
    u.password = '***';
    return u.toString();
  } catch {
    return uri.replace(/^([a-z]+:\/\/)[^/]*@/i, '$1***@'); // unparsable: drop the whole userinfo
  }
}
