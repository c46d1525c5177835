// Benchmark: preset recall latency through the daemon API against the simulated ONVIF camera,
// side by side with the same GotoPreset sent straight to the camera (node-onvif), in one run,
// plus daemon start-to-ready time and RSS. Usage: npm run bench [-- --n 300]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import onvif from 'node-onvif';
import { json, startRoomProcesses } from '../tests/helpers/room-processes.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '200' } } });
const N = Number(values.n);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main() {
  const room = await startRoomProcesses({ picture: false });
  try {
    const startup = {
      spawnToReadyMs: room.daemonSpawnToReadyMs,
      mainToReadyMs: room.daemon.ready.readyMs,
      rssAtReadyMb: room.daemon.ready.rssMb,
    };
    const api = `${room.api}/api/v1/cameras/cam1`;
    const set = await json(`${api}/presets`, { method: 'POST', body: JSON.stringify({ name: 'bench' }) });
    const token = set.body.token as string;

    const cam = new onvif.OnvifDevice({ xaddr: room.sim.ready.onvif.xaddr, user: 'admin', pass: 'reception-sim' });
    await cam.init();
    const profile = cam.getCurrentProfile()!.token;

    // Warm-up both paths, then alternate them so machine noise hits both alike.
    for (let i = 0; i < 20; i++) {
      await json(`${api}/presets/${token}/goto`, { method: 'POST', body: '{}' });
      await cam.services.ptz!.gotoPreset({ ProfileToken: profile, PresetToken: token });
    }
    const viaDaemon: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < N; i++) {
      viaDaemon.push(
        await time(async () => {
          const r = await json(`${api}/presets/${token}/goto`, { method: 'POST', body: '{}' });
          if (r.status !== 200) throw new Error(`recall failed: ${r.status} ${JSON.stringify(r.body)}`);
        }),
      );
      direct.push(await time(() => cam.services.ptz!.gotoPreset({ ProfileToken: profile, PresetToken: token })));
    }
    const rssAfter = rssMb(room.daemon.child.pid!);
    const ratio = pct(viaDaemon, 95) / pct(direct, 95);
    console.log(
      JSON.stringify(
        {
          n: N,
          viaDaemon: fmt(viaDaemon),
          directOnvif: fmt(direct),
          p95Ratio: Number(ratio.toFixed(2)),
          startup,
          rssAfterMb: Math.round(rssAfter),
        },
        null,
        2,
      ),
    );
  } finally {
    await room.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
