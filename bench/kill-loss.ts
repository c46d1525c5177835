// Benchmark: media lost from a hearing's recording on `kill -9` of the media worker. Per trial: a fresh
// media worker (createMedia → worker supervisor, so every kill is the supervisor's first restart, no
// backoff) + recorder + a local hearing, in this process, on one shared RTSP camera (720p30 passthrough);
// kill -9 the worker at a random moment 4–6 s into the hearing, let the supervisor start a new one,
// end the hearing ~4 s after the kill. Lost = hearing wall time (first segment start → close, as
// recorder.test.ts) − sum of the manifest's segment durations; as bytes, lost ms × the recording's
// measured byte rate (all trials' bytes / media ms). Control trials (no kill) give the baseline.
// Usage: npx tsc -p tsconfig.json && npx tsx bench/kill-loss.ts [--trials 10] [--controls 2]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createRtspPicture } from '../simulators/rtsp-picture/index.js';
import { freePort } from '../tests/helpers/free-port.js';
import { until } from '../tests/helpers/until.js';
import { manifestSummary, mediaRig, remoteTone } from './lib/recording-rig.js';
import { benchDir, percentile, requireBuild, round, sleep } from './lib/room.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '10' }, controls: { type: 'string', default: '2' } } });

async function trial(rtspUri: string, dir: string, kill: boolean) {
  const rig = await mediaRig({ rtspUri, dir, record: true });
  const tone = remoteTone(rig.remotePort);
  try {
    const h = await rig.hearings!.startLocal('bench kill');
    const t0 = Date.now();
    const killAfter = 4000 + Math.random() * 2000;
    let restartMs: number | null = null;
    let primaryBackMs: number | null = null;
    await sleep(killAfter);
    if (kill) {
      const pid = rig.media.status().workerPid!;
      const killedAt = Date.now();
      execFileSync('kill', ['-9', String(pid)]);
      // Generous waits: a slow restart is a result, not a bench failure.
      await until('a new worker', 30_000, () => rig.media.status().state === 'running' && rig.media.status().workerPid !== pid).then(
        () => (restartMs = Date.now() - killedAt),
        () => {},
      );
      await until('primary back', 30_000, () => rig.media.status().source === 'primary').then(
        () => (primaryBackMs = Date.now() - killedAt),
        () => {},
      );
      await sleep(Math.max(0, 4000 - (Date.now() - killedAt)));
    } else await sleep(4000);
    await rig.hearings!.endCurrent('bench');
    await until('closed', 10_000, () => rig.events.some((e) => e.kind === 'close'));
    await rig.recorder!.idle();
    const m = manifestSummary(rig.hearingDir(h.id));
    return {
      kill,
      killAtMs: kill ? Math.round(killAfter) : null,
      newWorkerRunningMs: restartMs,
      primaryBackMs,
      hearingMs: Date.now() - t0,
      wallMs: m.wallMs,
      wallFromOpenMs: m.wallFromOpenMs,
      mediaMs: m.mediaMs,
      lostMs: m.wallMs - m.mediaMs,
      segments: m.segments,
      bytes: m.bytes,
      gaps: m.gaps,
      manifestErrors: m.errors,
      workerRestarts: rig.media.status().restarts,
      lastRestartReason: rig.media.status().lastRestartReason ?? null,
    };
  } finally {
    tone.kill('SIGKILL');
    await rig.stop();
  }
}

async function main() {
  requireBuild();
  const dir = benchDir('bench-kill-loss');
  const cam = createRtspPicture({ port: await freePort(), path: 'stream', name: 'BENCH-CAM' });
  await cam.start();
  const runs = [];
  try {
    for (let i = 0; i < Number(values.controls); i++) runs.push(await trial(cam.rtspUri, `${dir}/c${i}`, false));
    for (let i = 0; i < Number(values.trials); i++) {
      runs.push(await trial(cam.rtspUri, `${dir}/t${i}`, true));
      console.error(JSON.stringify(runs.at(-1)));
    }
  } finally {
    await cam.stop();
  }
  const bytes = runs.reduce((a, r) => a + r.bytes, 0);
  const mediaMs = runs.reduce((a, r) => a + r.mediaMs, 0);
  const bytesPerMs = bytes / mediaMs;
  const kills = runs.filter((r) => r.kill);
  const controls = runs.filter((r) => !r.kill);
  const stats = (xs: number[]) => ({ p50: round(percentile(xs, 50), 0), max: Math.max(...xs), min: Math.min(...xs) });
  console.log(
    JSON.stringify(
      {
        recordingByteRate: { kbit_s: round(bytesPerMs * 8, 0), bytesPerMs: round(bytesPerMs, 1) },
        loadAverage1m: round(loadavg()[0]!, 2),
        kills: {
          n: kills.length,
          lostMs: stats(kills.map((r) => r.lostMs)),
          lostBytes: stats(kills.map((r) => Math.round(r.lostMs * bytesPerMs))),
          newWorkerRunningMs: stats(kills.map((r) => r.newWorkerRunningMs ?? Infinity)),
          primaryBackMs: stats(kills.map((r) => r.primaryBackMs ?? Infinity)),
          workerRestartGapMs: stats(kills.map((r) => r.gaps.filter((g) => g.reason === 'worker-restart').reduce((a, g) => a + g.ms, 0))),
          gapEntries: stats(kills.map((r) => r.gaps.length)),
          within2s: kills.filter((r) => r.lostMs <= 2000).length,
        },
        controls: { n: controls.length, lostMs: controls.length ? stats(controls.map((r) => r.lostMs)) : null },
        trials: runs.map((r) => ({ ...r, lostBytes: Math.round(r.lostMs * bytesPerMs) })),
      },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
