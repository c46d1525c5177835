// Benchmark (issue 15 target 3): the hub forwarding P rooms all-to-all (8 × 7 = 56 legs by default), H.264
// 720p30 ~2.6 Mbit/s + Opus 20 ms per publisher, on both media planes side by side in one run (order alternating):
//  - werift: a `reception hub` process with its embedded werift SFU (media.plane werift, the default);
//  - janus:  a `reception hub` process driving a Janus 1.1.2 process (media.plane janus, API + Admin API secrets).
// Same enrolled werift rooms (bench/sfu-compare-hub.ts), same feed and loss counting (bench/sfu-compare-measure.ts).
// Per row: CPU of the hub (+ Janus) per leg, loss (end to end and per leg, worst), the hub's event-loop p99/max
// from its /metrics (reception_hub_event_loop_delay_seconds: a 10 s window wholly under load) and RSS.
// Runs in the bench network namespace (Janus's ICE offers no loopback). BENCH_HUB_CPU_PROF=DIR profiles the hub.
// Usage: npx tsc -p tsconfig.json && npx tsx bench/hub-forwarding-8x7.ts [--matrix 8x7,4x3] [--seconds 15]
//        [--planes werift,janus] [--hub-node-options=--max-semi-space-size=2]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../tests/helpers/free-port.js';
import { janusInstall, type JanusProcess, startJanus } from '../tests/helpers/janus-server.js';
import { rssMb } from './lib/cpu.js';
import { inBenchNamespace, reexecInNamespace } from './lib/netns.js';
import { benchDir, hubMetrics, requireBuild, round, sleep } from './lib/room.js';
import { hubRig } from './sfu-compare-hub.js';
import { lossBetween } from './sfu-compare-loss.js';
import { measureRigs, startFeed } from './sfu-compare-measure.js';

type Plane = 'werift' | 'janus';
const { values } = parseArgs({
  options: {
    matrix: { type: 'string', default: '8x7' },
    seconds: { type: 'string', default: '15' },
    planes: { type: 'string', default: 'werift,janus' },
    // e.g. "--max-semi-space-size=2": V8 flags for the hub only (what its RSS is made of), via NODE_OPTIONS
    'hub-node-options': { type: 'string', default: '' },
  },
});
const planes = values.planes!.split(',') as Plane[];
if (planes.includes('janus')) janusInstall(); // names what is missing and how to install it, before anything starts
if (!inBenchNamespace()) reexecInNamespace();

/** A Janus for the hub to drive, with the secrets files the hub's media.janus keys name. */
async function janusForHub(dir: string): Promise<{ janus: JanusProcess; env: Record<string, string> }> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'api-secret'), 'bi-mat-cua-hub\n', { mode: 0o600 });
  writeFileSync(join(dir, 'admin-secret'), 'bi-mat-quan-tri\n', { mode: 0o600 });
  const admin = { port: await freePort(), secret: 'bi-mat-quan-tri' };
  const janus = await startJanus(join(dir, 'janus'), { iface: 'vb0', rtpPorts: [40000, 49999], apiSecret: 'bi-mat-cua-hub', admin });
  const env = {
    RECEPTION_HUB_MEDIA_PLANE: 'janus',
    RECEPTION_HUB_JANUS_URL: janus.url,
    RECEPTION_HUB_JANUS_API_SECRET_FILE: join(dir, 'api-secret'),
    RECEPTION_HUB_JANUS_ADMIN_URL: janus.admin!.url,
    RECEPTION_HUB_JANUS_ADMIN_SECRET_FILE: join(dir, 'admin-secret'),
  };
  return { janus, env };
}

/** hubRig starts its hub with process.env: the plane's keys are set only while it starts. */
async function hubWith(env: Record<string, string>, p: number, s: number) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await hubRig(p, s);
  } finally {
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

async function measure(plane: Plane, p: number, s: number, ms: number, feed: ReturnType<typeof startFeed>) {
  const t0 = Date.now();
  const dir = benchDir(`bench-fwd-${plane}-${p}x${s}`);
  const j = plane === 'janus' ? await janusForHub(dir) : undefined;
  try {
    const nodeOptions: Record<string, string> = values['hub-node-options'] ? { NODE_OPTIONS: values['hub-node-options'] } : {};
    const rig = await hubWith({ ...j?.env, ...nodeOptions }, p, s);
    const hubPid = rig.sfuPid;
    // The rig keeps its hub's URL to itself; the port is on the hub's command line.
    const port = /--port\0(\d+)/.exec(readFileSync(`/proc/${hubPid}/cmdline`, 'utf8'))![1];
    // Janus's CPU is part of the plane's cost: counted as a second forwarding process with no legs of its own.
    const rigs = j ? [rig, { ...rig, sfuPid: j.janus.child.pid!, legsWanted: 0, publishers: [], legs: () => [] }] : [rig];
    feed.onAir([rig]);
    try {
      const m = await measureRigs(rigs, feed, ms, t0);
      // Loss per leg (sequence gaps; the end-to-end loss above is over all legs together) over 10.5 s more, the
      // feed still on: the event loop's window (10 s) that closes in them lies wholly inside the measured load.
      const snap = () => rig.legs().map((l) => l.map((c) => c.snapshot()));
      const before = snap();
      await sleep(10_500);
      const perLegLoss = snap().map((l, i) => lossBetween(before[i] ?? [], l).fraction * 100);
      const metrics = await hubMetrics(`http://127.0.0.1:${port}`);
      const rss = rssMb(hubPid);
      const cpu = m.cpuPercentOfOneCore as Record<string, number>;
      return {
        plane,
        matrix: `${p}x${s}`,
        ...m,
        hubCpuPercent: cpu.sfu0,
        janusCpuPercent: cpu.sfu1,
        worstLegSeqLossPercent: round(Math.max(0, ...perLegLoss), 2),
        hubEventLoopP99Ms: round((metrics.get('reception_hub_event_loop_delay_seconds{stat="p99"}') ?? Number.NaN) * 1000, 1),
        hubEventLoopMaxMs: round((metrics.get('reception_hub_event_loop_delay_seconds{stat="max"}') ?? Number.NaN) * 1000, 1),
        hubRssMb: rss,
        hubHeapUsedMb: round((metrics.get('nodejs_heap_size_used_bytes') ?? Number.NaN) / 2 ** 20, 0),
        hubHeapTotalMb: round((metrics.get('nodejs_heap_size_total_bytes') ?? Number.NaN) / 2 ** 20, 0),
        hubExternalMb: round((metrics.get('nodejs_external_memory_bytes') ?? Number.NaN) / 2 ** 20, 0),
      };
    } finally {
      feed.onAir([]);
      await rig.close();
    }
  } finally {
    await j?.janus.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  requireBuild();
  const ms = Number(values.seconds) * 1000;
  const feed = startFeed();
  const rows: unknown[] = [];
  try {
    for (const [i, [p, s]] of values
      .matrix!.split(',')
      .map((x) => x.split('x').map(Number))
      .entries()) {
      if (s !== p! - 1) throw new Error(`--matrix ${p}x${s}: rooms all-to-all, S = P − 1`);
      for (const plane of i % 2 ? [...planes].reverse() : planes) {
        const row = await measure(plane, p!, s!, ms, feed).catch((err: Error) => ({ plane, matrix: `${p}x${s}`, error: err.message }));
        console.error(JSON.stringify(row));
        rows.push(row);
      }
    }
  } finally {
    feed.stop();
  }
  console.log(JSON.stringify({ seconds: ms / 1000, rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
