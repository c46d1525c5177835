// Benchmark (issue 12, a starved box): does the media worker call a camera lost that kept sending, when the
// worker itself is not running? The real worker (lossTimeoutMs 700, as in production) on a simulated RTSP
// camera that never stops, two faults:
//  - hog: the worker's threads pinned to one CPU with N busy loops pinned there too (each of its runnable
//    threads gets ~1/(N+1) of that CPU; the other CPU stays free for the rest of the box);
//  - sigstop: the worker stopped (SIGSTOP) for 1.5 s, three times (no thread of it runs; the camera sends on).
// The camera (the simulator's process, a child of this one) runs at nice -10, as a real camera is another box:
// the shared machine's own load must not make it late. Per fault: camera-lost lines of the worker, switches to the slate, RTP max gap, the worker's most starved
// thread (run-queue wait / wall time, from /proc/<pid>/task/*/schedstat), the load average.
// Usage: npx tsx bench/worker-starved.ts [--hogs 16] [--nice=-3] [--seconds 30]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as hold } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { validateConfig } from '../daemon/config/load-config.js';
import { createEventBus, type MediaEvent } from '../daemon/modules/events/event-bus.js';
import { createMedia } from '../daemon/modules/media/create-media.js';
import { ensureWorkerBuilt } from '../daemon/modules/media/ensure-built.js';
import { rtpProbe } from '../daemon/modules/media/rtp-probe.js';
import { createRtspPicture } from '../simulators/rtsp-picture/index.js';
import { freePort } from '../tests/helpers/free-port.js';
import { until } from '../tests/helpers/until.js';

const { values } = parseArgs({
  options: { hogs: { type: 'string', default: '16' }, nice: { type: 'string', default: '0' }, seconds: { type: 'string', default: '30' } },
});
const HOGS = Number(values.hogs);
const SECONDS = Number(values.seconds);
const NICE = Number(values.nice); // the hogs' nice: below 0 they outweigh the worker (root)

/** tid → ns waited on a run queue, for every thread of pid. */
function waits(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`))
    try {
      m.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]));
    } catch {
      // gone
    }
  return m;
}
const maxDelta = (a: Map<string, number>, b: Map<string, number>) => Math.max(0, ...[...b].map(([t, w]) => (a.has(t) ? w - a.get(t)! : 0)));

ensureWorkerBuilt();
const picture = createRtspPicture({ port: await freePort(), name: 'CAM-STARVED' });
await picture.start();
const video = await rtpProbe();
const audio = await rtpProbe();
const bus = createEventBus();
const events: (MediaEvent & { at: number })[] = [];
bus.on('media', (e) => events.push({ ...e, at: Date.now() }));
const lines: string[] = [];
const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
const config = validateConfig({
  media: { rtspUri: picture.rtspUri, lossTimeoutMs: 700, videoRtpPort: video.port, audioRtpPort: audio.port },
}).media;
const media = createMedia({ config, room: { name: 'Phòng thử' }, cameras: new Map(), bus, logger, silenceMs: 60_000 });
await media.start();
await until('primary on air', 30_000, () => media.status().source === 'primary');
const pid = media.status().workerPid!;
// The camera simulator: this process's other children (every thread: Linux keeps a nice per thread).
for (const child of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== pid))
  try {
    if (readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1].split(' ')[1] !== String(process.pid)) continue;
    for (const tid of readdirSync(`/proc/${child}/task`)) execFileSync('renice', ['-n', '-10', '-p', tid], { stdio: 'ignore' });
  } catch {
    // gone, or not ours
  }
const lost = () => lines.filter((l) => l.includes('camera liveness') && l.includes('"alive":false'));
const rows: string[] = [];

async function measure(name: string, fault: () => Promise<void>) {
  await hold(3000); // settle: the primary on air, frames flowing
  const [t0, lost0, w0, l0] = [Date.now(), lost().length, waits(pid), performance.now()];
  await fault();
  const [w1, wallMs] = [waits(pid), performance.now() - l0];
  await hold(3000); // what the fault left: the checks after it
  const slate = events.filter((e) => e.kind === 'source' && e.source === 'slate' && e.at >= t0).length;
  const reasons = lost()
    .slice(lost0)
    .map((l) => (JSON.parse(l) as { reason: string }).reason);
  rows.push(
    `| ${name} | ${reasons.length} | ${slate} | ${video.maxGap(t0)} | ${Math.round((maxDelta(w0, w1) / 1e6 / wallMs) * 100)} % | ${loadavg()[0].toFixed(1)} | ${reasons.slice(0, 2).join('; ')} |`,
  );
  console.log(rows.at(-1));
}

const hogs: ChildProcess[] = [];
try {
  await measure(`hog: worker + ${HOGS} busy loops (nice ${NICE}) on CPU 1, ${SECONDS} s`, async () => {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(pid)], { stdio: 'ignore' });
    for (let i = 0; i < HOGS; i++)
      hogs.push(spawn('nice', ['-n', String(NICE), 'taskset', '-c', '1', process.execPath, '-e', 'for(;;);'], { stdio: 'ignore' }));
    await hold(SECONDS * 1000);
    for (const h of hogs.splice(0)) h.kill('SIGKILL');
    execFileSync('taskset', ['-a', '-p', '-c', '0-1', String(pid)], { stdio: 'ignore' });
  });
  await measure('sigstop: worker stopped 1.5 s, 3 times', async () => {
    for (let i = 0; i < 3; i++) {
      process.kill(pid, 'SIGSTOP');
      await hold(1500);
      process.kill(pid, 'SIGCONT');
      await hold(3000);
    }
  });
} finally {
  for (const h of hogs) h.kill('SIGKILL');
  process.kill(pid, 'SIGCONT');
  console.log('\n| fault | camera-lost lines | slate switches | RTP max gap ms | worker max thread wait / wall | load (1 min) | reasons |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  await media.stop();
  await picture.stop();
  await video.close();
  await audio.close();
}
