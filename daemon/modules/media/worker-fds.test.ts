import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../tests/helpers/until.js';
import { WorkerRig } from './test/worker-rig.js';

// Issue 12 (soak): the media worker gained 4 fds at every camera ingest attempt and never gave them back
// (+32–36 per camera flap; a dead camera retrying every 5 s reaches the fd limit in ~7 h), because
// gstreamer-superficial never freed a Pipeline. With patches/gstreamer-superficial+1.7.4.patch the worker
// destroys each failed ingest pipeline. Real worker, real RTSP camera flapping; fds read from /proc.

const FLAPS = 4;
const ATTEMPTS_PER_FLAP = 3; // failed ingest attempts seen while the camera is down, each a pipeline built and dropped

describe('media worker fds across camera flaps', () => {
  const rig = new WorkerRig();
  const { events, lines } = rig;
  const failures = () => lines.filter((l) => l.includes('"worker: camera ingest failed"') && l.includes('"primary"')).length;
  // Not counted: the liveness judge's schedstat files (worker/thread-waits.ts), one per thread while a camera is
  // quiet, closed on the first tick with frames — a bounded cache, open at a sample only by chance (load 46).
  const schedstat = (pid: number, fd: string) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).endsWith('/schedstat');
    } catch {
      return false; // closed meanwhile
    }
  };
  const fds = (pid: number) => readdirSync(`/proc/${pid}/fd`).filter((fd) => !schedstat(pid, fd)).length;

  beforeAll(() => rig.start({ camera: 'CAM-FDS', lossTimeoutMs: 300, silenceMs: 30_000, onAirMs: 60_000 }), 120_000);
  afterAll(() => rig.stop());

  it('stay flat: every failed ingest pipeline is freed', { timeout: 300_000 }, async () => {
    const pid = rig.media.status().workerPid!;
    const after: number[] = [];
    let attempts = 0;
    for (let flap = 0; flap < FLAPS; flap++) {
      const before = failures();
      await rig.picture.stop();
      await until(`flap ${flap}: ${ATTEMPTS_PER_FLAP} failed ingest attempts`, 60_000, () => failures() - before >= ATTEMPTS_PER_FLAP);
      const t0 = Date.now();
      await rig.picture.start();
      await until(`flap ${flap}: primary back on air`, 60_000, () =>
        events.some((e) => e.kind === 'source' && e.source === 'primary' && e.at >= t0),
      );
      attempts += failures() - before;
      after.push(fds(pid));
    }
    expect(rig.media.status().workerPid).toBe(pid); // one worker all along: its fds are comparable
    const growth = after[FLAPS - 1] - after[0]; // flap 0 is the warm-up (GStreamer's one-time set-up)
    console.log(
      `worker fds after each of ${FLAPS} camera flaps (${attempts} failed ingest attempts): ${after.join(', ')}; growth ${growth}`,
    );
    // Unfreed, each attempt kept 4 fds: ≥ 4 × 3 × 3 = 36 over flaps 1–3. Slack for a socket in flight.
    expect(growth).toBeLessThanOrEqual(6);
  });
});
