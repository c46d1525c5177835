// Benchmark (issue 14 item 3): which media plane carries more legs per core on this box — the hub's werift
// SFU (`reception hub`) or Janus VideoRoom (Debian's `janus` 1.1.2, its own process). Same publishers ×
// subscribers matrix for both, one after the other per configuration (order alternating), same werift
// participants in this process (hub/sfu/peer-config.ts), same media: one gst-launch encoder pair, H.264
// constrained-baseline 720p30 ~2.6 Mbit/s + Opus 20 ms, fanned out to every publisher.
// Per configuration and plane (bench/sfu-compare-measure.ts): CPU of the forwarding process (/proc/<pid>/stat),
// packets lost at the subscribers (fed vs received, and sequence gaps), delivered packets/s, load average;
// then per leg and legs per core. Figures and the decision: docs/PERFORMANCE.md.
// Runs in the bench network namespace (bench/lib/netns.ts): Janus's ICE (libnice) offers no loopback.
// Usage: npx tsc -p tsconfig.json && npx tsx bench/sfu-compare.ts [--matrix 1x2,1x4,1x8,1x16,8x7] [--seconds 15]
//        [--ceiling 1] [--planes hub,janus]
import { parseArgs } from 'node:util';
import { janusInstall } from '../tests/helpers/janus-server.js';
import { inBenchNamespace, reexecInNamespace } from './lib/netns.js';
import { requireBuild } from './lib/room.js';
import { hubRig } from './sfu-compare-hub.js';
import { measureRigs, startFeed } from './sfu-compare-measure.js';
import { summarise } from './sfu-compare-summary.js';
import { janusRig } from './sfu-janus-rig.js';

const { values } = parseArgs({
  options: {
    matrix: { type: 'string', default: '1x2,1x4,1x8,1x16,8x7' },
    seconds: { type: 'string', default: '15' },
    ceiling: { type: 'string', default: '1' },
    planes: { type: 'string', default: 'hub,janus' },
  },
});
const planes = values.planes!.split(',') as ('hub' | 'janus')[];
if (planes.includes('janus')) janusInstall(); // before anything starts: names what is missing and how to install it
if (!inBenchNamespace()) reexecInNamespace();

async function measure(plane: 'hub' | 'janus', p: number, s: number, ms: number, feed: ReturnType<typeof startFeed>) {
  const t0 = Date.now();
  const start = () => (plane === 'hub' ? hubRig(p, s) : janusRig(p, s, 'vb0'));
  // A saturated box can make a process miss its start-up deadline: one more try, then the error is the row.
  const rig = await start().catch(async (err: Error) => {
    console.error(`${plane} ${p}x${s}: ${err.message.trim()} — retrying once`);
    return start();
  });
  feed.onAir([rig]);
  try {
    return { plane, publishers: p, subscribersPerPublisher: s, ...(await measureRigs([rig], feed, ms, t0)) };
  } finally {
    feed.onAir([]);
    await rig.close();
  }
}

async function main() {
  requireBuild();
  const ms = Number(values.seconds) * 1000;
  const feed = startFeed(); // one encoder pair for the whole run: every rig's publishers get the same packets
  const rows: unknown[] = [];
  try {
    const matrix = values.matrix!.split(',').map((x) => x.split('x').map(Number) as [number, number]);
    for (const [i, [p, s]] of matrix.entries()) {
      if (p > 1 && s !== p - 1) throw new Error(`--matrix ${p}x${s}: with several publishers, everyone watches everyone (S = P − 1)`);
      const order = i % 2 ? [...planes].reverse() : planes; // alternate which plane goes first
      for (const plane of order) {
        const row = await measure(plane, p, s, ms, feed).catch((err: Error) => ({
          plane,
          publishers: p,
          subscribersPerPublisher: s,
          error: err.message,
        }));
        console.error(JSON.stringify(row));
        rows.push(row);
      }
    }
  } finally {
    feed.stop();
  }
  const ceiling = Number(values.ceiling);
  console.log(JSON.stringify({ seconds: ms / 1000, lossCeilingPercent: ceiling, rows, summary: summarise(rows, ceiling) }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
