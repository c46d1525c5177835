// Benchmark (issue 14 item 3, second half): forwarding with 1 vs 2 hub processes, each its own werift SFU,
// the same hearings split across them (hearing i on process i mod k). Each hearing: one werift publisher
// (enrolled room) + V werift officers watching it; one encoder pair (720p30 ~2.6 Mbit/s + Opus) feeds every
// publisher; participants live in this process. Per step: summed hub CPU, loss at the subscribers, load
// average (bench/sfu-compare-measure.ts). Question: do 2 processes carry ≥ 1.8× the legs of one at the same loss?
// Usage: npx tsc -p tsconfig.json && npx tsx bench/sfu-compare-workers.ts [--hearings 2,4,6] [--viewers 4]
//        [--processes 1,2] [--seconds 15] [--ceiling 1]
import { parseArgs } from 'node:util';
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
  },
});
if (!inBenchNamespace()) reexecInNamespace();

async function step(processes: number, hearings: number, viewers: number, ms: number, feed: ReturnType<typeof startFeed>) {
  if (hearings % processes) throw new Error(`--hearings ${hearings} does not split evenly over ${processes} processes`);
  const t0 = Date.now();
  const rigs: Rig[] = [];
  try {
    for (let i = 0; i < processes; i++) rigs.push(await hubRig(1, viewers, hearings / processes));
    feed.onAir(rigs);
    return { processes, hearings, viewersPerHearing: viewers, ...(await measureRigs(rigs, feed, ms, t0)) };
  } finally {
    feed.onAir([]);
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
  const summary = Object.fromEntries(counts.map((k) => [`legsCarriedWith${k}Processes`, carried(k)]));
  console.log(JSON.stringify({ seconds: ms / 1000, lossCeilingPercent: ceiling, rows, summary }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
