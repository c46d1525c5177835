// Benchmark (issue 14 item 3, second half): forwarding with 1 vs 2 hub processes, each its own werift SFU,
// the same hearings split across them (hearing i on process i mod k). Each hearing: one werift publisher
// (enrolled room) + V werift officers watching it; one encoder pair (720p30 ~2.6 Mbit/s + Opus) feeds every
// publisher; participants live in this process. Per step: summed hub CPU, loss at the subscribers, load
// average (bench/sfu-compare-measure.ts). Question: do 2 processes carry ≥ 1.8× the legs of one at the same loss?
// Usage: npx tsc -p tsconfig.json && npx tsx bench/sfu-compare-workers.ts [--hearings 2,4,6] [--viewers 4]
//        [--processes 1,2] [--seconds 15] [--ceiling 1] [--hub-cpu 0.4]
// --hub-cpu: each hub process gets that many cores' worth of CPU (a CFS quota, bench/lib/cpu-quota.ts) once its
// legs are up: on this 2-core box the bench's own peers need about what the hubs do, so without a budget the box
// saturates before one hub does and both counts only show the box.
import { parseArgs } from 'node:util';
import { capCpu, type CpuQuota } from './lib/cpu-quota.js';
import { inBenchNamespace, reexecInNamespace } from './lib/netns.js';
import { requireBuild } from './lib/room.js';
import { hubRig } from './sfu-compare-hub.js';
import { measureRigs, startFeed } from './sfu-compare-measure.js';
import type { Rig } from './sfu-compare-rig.js';

const { values } = parseArgs({
  options: {
    hearings: { type: 'string', default: '2,4,6' },
    viewers: { type: 'string', default: '4' },
    processes: { type: 'string', default: '1,2' },
    seconds: { type: 'string', default: '15' },
    ceiling: { type: 'string', default: '1' },
    'hub-cpu': { type: 'string' },
  },
});
if (!inBenchNamespace()) reexecInNamespace();

const hubCpu = values['hub-cpu'] === undefined ? undefined : Number(values['hub-cpu']);
if (hubCpu !== undefined && !(hubCpu > 0)) throw new Error(`--hub-cpu: a number of cores > 0, got ${values['hub-cpu']}`);

async function step(processes: number, hearings: number, viewers: number, ms: number, feed: ReturnType<typeof startFeed>) {
  const t0 = Date.now();
  const rigs: Rig[] = [];
  const quotas: CpuQuota[] = [];
  try {
    // hearings as even as they go: 5 over 2 processes = 3 + 2
    for (let i = 0; i < processes; i++)
      rigs.push(await hubRig(1, viewers, Math.floor(hearings / processes) + (i < hearings % processes ? 1 : 0)));
    if (hubCpu) rigs.forEach((r, i) => quotas.push(capCpu(r.sfuPid, hubCpu, `bench-sfu-${i}`)));
    feed.onAir(rigs);
    const measured = await measureRigs(rigs, feed, ms, t0);
    const throttledSeconds = quotas.map((q) => Number(q.throttled().seconds.toFixed(2)));
    return { processes, hearings, viewersPerHearing: viewers, hubCpu, ...measured, ...(hubCpu && { throttledSeconds }) };
  } finally {
    feed.onAir([]);
    for (const q of quotas) q.release();
    await Promise.all(rigs.map((r) => r.close()));
  }
}

async function main() {
  requireBuild();
  const ms = Number(values.seconds) * 1000;
  const feed = startFeed();
  const rows: Awaited<ReturnType<typeof step>>[] = [];
  const counts = values.processes!.split(',').map(Number);
  try {
    for (const [i, n] of values.hearings!.split(',').map(Number).entries())
      for (const k of i % 2 ? [...counts].reverse() : counts) {
        const row = await step(k, n, Number(values.viewers), ms, feed).catch((err: Error) => ({
          processes: k,
          hearings: n,
          error: err.message,
        }));
        console.error(JSON.stringify(row));
        if (!('error' in row)) rows.push(row);
      }
  } finally {
    feed.stop();
  }
  // Legs carried at the ceiling: the largest step with every leg flowing, loss ≤ ceiling and ≥ 90 % of the publishers' rate.
  const ceiling = Number(values.ceiling);
  const carried = (k: number) =>
    Math.max(
      0,
      ...rows
        .filter((r) => r.processes === k && r.legsFlowing === r.legsWanted && r.lossPercent <= ceiling)
        .filter((r) => r.deliveredPpsPerLegMin >= 0.9 * r.publisherPps)
        .map((r) => r.legsWanted),
    );
  const summary: Record<string, number> = Object.fromEntries(counts.map((k) => [`legsCarriedWith${k}Processes`, carried(k)]));
  if (counts.length === 2 && carried(counts[0]) > 0) summary.ratio = Number((carried(counts[1]) / carried(counts[0])).toFixed(2));
  console.log(JSON.stringify({ seconds: ms / 1000, lossCeilingPercent: ceiling, rows, summary }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
