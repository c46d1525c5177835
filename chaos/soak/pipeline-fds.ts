// `npx tsx chaos/soak/pipeline-fds.ts [N] [--module DIR]`: what one gstreamer-superficial Pipeline keeps after
// stop() — the soak saw the media worker gain 4 fds per camera ingest attempt (2 unix sockets + 2 eventfds)
// and never give them back. N pipelines are made, their bus polled, played and stopped, as the worker's
// camera ingest did on each retry; then the fds (by kind) and RSS gained per pipeline are printed.
// `--destroy`: destroy() instead of stop(), as the worker now does (patches/gstreamer-superficial+1.7.4.patch:
// freed at once; with stop() alone the patched binding frees a pipeline only when the GC collects it).
// `--module DIR`: another build of the binding (e.g. the unpatched one, to see the leak).

import { readdirSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { Pipeline } from 'gstreamer-superficial';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { module: { type: 'string' }, destroy: { type: 'boolean' } },
});
const n = Number(positionals[0] ?? 20);
const gst = createRequire(import.meta.url)(values.module ?? 'gstreamer-superficial') as { Pipeline: typeof Pipeline };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fdKinds = () => {
  const kinds = new Map<string, number>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const kind = readlinkSync(`/proc/self/fd/${fd}`).replace(/\d+/g, 'N');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    } catch {
      // the directory's own fd, gone
    }
  }
  return kinds;
};

const once = async (launch: string) => {
  const p = new gst.Pipeline(launch);
  p.pollBus(() => undefined);
  p.play();
  await sleep(300);
  if (values.destroy) p.destroy();
  else p.stop();
  await sleep(100);
};

for (const launch of ['videotestsrc ! fakesink', 'rtspsrc location=rtsp://127.0.0.1:9/nothing ! fakesink']) {
  await once(launch); // GStreamer's one-time set-up (registry, threads) is not a leak
  const before = fdKinds();
  const rss = process.memoryUsage().rss;
  for (let i = 0; i < n; i++) await once(launch);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(500);
  const after = fdKinds();
  const gained = [...after]
    .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
    .filter(([, d]) => d !== 0)
    .map(([k, d]) => `${k} ${d > 0 ? '+' : ''}${d}`);
  const total = [...after.values()].reduce((a, b) => a + b, 0) - [...before.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${launch}: ${n} pipelines → fds ${total > 0 ? '+' : ''}${total} (${(total / n).toFixed(2)} per pipeline: ${gained.join(', ') || 'none'}), ` +
      `RSS +${((process.memoryUsage().rss - rss) / 1048576).toFixed(1)} MB`,
  );
}
process.exit(0);
