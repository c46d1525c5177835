// Benchmark: what it costs the room box to learn a closed segment's duration and streams — ffprobe
// (a process per segment, what the recorder did) against the in-process MPEG-TS read
// (daemon/modules/recorder/ts-probe.ts, what it does now). One 2 s 720p30 segment as the recorder
// writes it (H.264 ~2.5 Mbit/s + two Opus streams, mpegtsmux), probed N times by each, alternating,
// in one run; CPU includes the ffprobe children (utime + stime of this process and its reaped children).
// Usage: npx tsx bench/segment-probe.ts [--rounds 40]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ffprobeSegment, probeSegment } from '../daemon/modules/recorder/segment-files.js';
import { cpuSeconds } from './lib/cpu.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '40' } } });
const rounds = Number(values.rounds);
const file = join(mkdtempSync(join(tmpdir(), 'bench-probe-')), 'seg-00000.ts');
execFileSync('gst-launch-1.0', [
  '-q',
  'videotestsrc',
  'num-buffers=60',
  'pattern=smpte',
  'horizontal-speed=4',
  '!',
  'video/x-raw,framerate=30/1,width=1280,height=720',
  '!',
  'x264enc',
  'tune=zerolatency',
  'speed-preset=ultrafast',
  'bitrate=2500',
  'key-int-max=30',
  '!',
  'h264parse',
  '!',
  'mpegtsmux',
  'name=m',
  '!',
  'filesink',
  `location=${file}`,
  'audiotestsrc',
  'num-buffers=100',
  'samplesperbuffer=960',
  '!',
  'audio/x-raw,rate=48000,channels=1',
  '!',
  'opusenc',
  '!',
  'opusparse',
  '!',
  'm.',
  'audiotestsrc',
  'num-buffers=100',
  'samplesperbuffer=960',
  'freq=880',
  '!',
  'audio/x-raw,rate=48000,channels=1',
  '!',
  'opusenc',
  '!',
  'opusparse',
  '!',
  'm.',
]);

const cost = { ffprobe: { cpu: 0, wall: 0 }, inProcess: { cpu: 0, wall: 0 } };
let answers = '';
for (let i = 0; i < rounds; i++) {
  for (const [name, probe] of [
    ['ffprobe', ffprobeSegment],
    ['inProcess', probeSegment],
  ] as const) {
    const cpu0 = cpuSeconds(process.pid);
    const t0 = performance.now();
    const p = await probe(file);
    cost[name].wall += performance.now() - t0;
    cost[name].cpu += (cpuSeconds(process.pid) - cpu0) * 1000;
    if (i === 0) answers += `${name}: ${JSON.stringify(p)}  `;
  }
}
const per = (c: { cpu: number; wall: number }) => ({ cpuMs: +(c.cpu / rounds).toFixed(1), wallMs: +(c.wall / rounds).toFixed(1) });
const ff = per(cost.ffprobe);
const own = per(cost.inProcess);
console.log(answers);
console.log(
  JSON.stringify(
    {
      rounds,
      perSegment: { ffprobe: ff, inProcess: own },
      cpuRatio: +(ff.cpuMs / Math.max(own.cpuMs, 0.1)).toFixed(1),
      wallRatio: +(ff.wallMs / own.wallMs).toFixed(1),
      ffprobeShareOfACoreAt2sSegments: `${(ff.cpuMs / 20).toFixed(1)} %`,
      inProcessShareOfACore: `${(own.cpuMs / 20).toFixed(2)} %`,
    },
    null,
    1,
  ),
);
