import { defineConfig } from 'vitest/config';

// Two projects (`npm test` runs both, unit first; `npm run test:unit` / `npx vitest run --project e2e`).
// - unit: in-process code (fastify `inject`, in-process hub, simulators, socat ptys); no dist/ build, no
//   GStreamer, media worker, Chromium or spawned reception processes. Files run in parallel (most of their
//   time is simulated devices moving, not CPU) in shared workers: `isolate: false` imports fastify, TypeBox
//   & co. once per worker, not once per file (the code keeps no state at module scope). On the 2-core box
//   with a load average of 18: 38 s, against 121 s isolated.
// - e2e: tests/e2e/ and the files below, which start GStreamer, the media worker, Chromium or built
//   processes, or read dist/. One file at a time, as before: timing assertions (slate within 1 s, 503
//   within 2 s) must not fight each other for the 2 cores.
// A new test file is unit unless it is listed here (or lives in tests/e2e/).
const E2E = [
  'tests/e2e/**/*.test.ts',
  'tests/interop/**/*.test.ts', // GStreamer webrtcbin, Chromium and werift WHIP/WHEP clients against a hub
  'common/process/orphan-guards.test.ts', // builds dist/, spawns worker-like children
  'common/storage/writer-lock.test.ts', // builds dist/, spawns children holding the lock
  'common/systemd/sd-notify.test.ts', // spawns the built hub
  'daemon/modules/media/*.test.ts', // the GStreamer media worker
  'daemon/modules/recorder/recorder*.test.ts', // the media worker recording
  'daemon/modules/recorder/recording-session.test.ts', // gst-launch makes its segments
  'daemon/modules/recorder/ts-probe.test.ts', // gst-launch makes its segments
  'simulators/rtsp-picture/rtsp-picture.test.ts', // GStreamer RTSP server
  'simulators/onvif-camera/sync-point.test.ts', // GStreamer RTSP server and an rtspsrc client (IDR on request)
  'provisioning/provision/camera-stream.test.ts', // GStreamer RTSP server, ffprobe/ffmpeg
  'hub/fleet/console-fleet.test.ts', // Chromium
  'hub/console/fleet-page.test.ts', // Chromium: the fleet page and a room's 24 h charts
  'hub/console/fleet-updates.test.ts', // Chromium: the fleet page's software updates section
  'systemd/units.test.ts', // the built dist/ CLI, systemd-analyze
  'systemd/ecosystem.test.ts', // the built dist/ CLI
  'tests/security/install-scripts-npm.test.ts', // spawns npm (install, rebuild) in temporary projects
  'chaos/chaos-fast.test.ts', // npm run chaos -- --fast: namespaces, real hub and room processes (root)
];
const EXCLUDE = ['node_modules/**', 'dist/**', 'kiosk-ui/dist/**'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tests/setup/temp-root.ts'], // one TMPDIR per run, removed at its end
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...EXCLUDE, ...E2E],
          maxWorkers: 4,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: E2E, exclude: EXCLUDE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
