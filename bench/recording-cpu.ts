// Benchmark: CPU cost of recording a hearing. Two media workers at the same time on the same RTSP camera
// (simulators/rtsp-picture, 720p30 H.264 passthrough, one shared pipeline): each is a createMedia + worker
// supervisor + recorder + hearings in this process (as daemon/modules/recorder/recorder.test.ts), one with
// a local hearing open (recording pipeline: loopback RTP → depay/parse → splitmuxsink mpegtsmux, 2 s
// segments into a temp dir, plus the remote-audio mix → Opus), the other idle; cpuShare side by side.
// Then the roles swap (the other worker records), so a difference between the two workers cancels out.
// Both recording workers get one remote participant (an Opus tone), as in a hearing.
// Usage: npx tsc -p tsconfig.json && npx tsx bench/recording-cpu.ts [--seconds 20]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createRtspPicture } from '../simulators/rtsp-picture/index.js';
import { freePort } from '../tests/helpers/free-port.js';
import { cpuShare, rssMb } from './lib/cpu.js';
import { until } from '../tests/helpers/until.js';
import { mediaRig, remoteTone } from './lib/recording-rig.js';
import { benchDir, machineBusy, requireBuild, round, sleep } from './lib/room.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' } } });

async function main() {
  requireBuild();
  const dir = benchDir('bench-recording-cpu');
  const cam = createRtspPicture({ port: await freePort(), path: 'stream', name: 'BENCH-CAM' });
  await cam.start();
  const a = await mediaRig({ rtspUri: cam.rtspUri, dir: `${dir}/a`, record: true, name: 'Room A' });
  const b = await mediaRig({ rtspUri: cam.rtspUri, dir: `${dir}/b`, record: true, name: 'Room B' });
  const tones = [remoteTone(a.remotePort), remoteTone(b.remotePort)];
  const ms = Number(values.seconds) * 1000;
  const phases: { cpuPercentOfOneCore: Record<string, number>; differencePoints: number; [k: string]: unknown }[] = [];
  try {
    for (const [recName, rec, idleName, idle] of [
      ['A', a, 'B', b],
      ['B', b, 'A', a],
    ] as const) {
      const h = await rec.hearings!.startLocal(`bench ${recName}`);
      await until('first segments', 15_000, () => rec.recorder!.status().segments >= 2);
      await sleep(2000);
      const pids = { recording: rec.media.status().workerPid!, notRecording: idle.media.status().workerPid! };
      const s0 = rec.recorder!.status();
      const busy = machineBusy();
      const cpu = await cpuShare(pids, ms);
      const s1 = rec.recorder!.status();
      phases.push({
        recordingWorker: recName,
        notRecordingWorker: idleName,
        cpuPercentOfOneCore: cpu,
        differencePoints: round(cpu.recording! - cpu.notRecording!),
        ratio: round(cpu.recording! / cpu.notRecording!, 2),
        machine: { ...busy(), loadAverage1m: round(loadavg()[0]!, 2) },
        segmentsWritten: s1.segments - s0.segments,
        recordedKbit_s: round(((s1.bytes - s0.bytes) * 8) / (s1.durationMs - s0.durationMs || 1), 0),
        onAir: { recording: rec.media.status().source, notRecording: idle.media.status().source },
        restarts: { recording: rec.media.status().restarts, notRecording: idle.media.status().restarts },
        rssMb: { recording: rssMb(pids.recording), notRecording: rssMb(pids.notRecording) },
        hearing: h.id,
      });
      await rec.hearings!.endCurrent('bench');
      await until('closed', 10_000, () => rec.events.some((e) => e.kind === 'close' && e.hearing.startsWith(h.id)));
      await rec.recorder!.idle();
      await sleep(2000); // the recording pipeline is torn down
    }
    const mean = (f: (p: (typeof phases)[number]) => number) => round(phases.reduce((s, p) => s + f(p), 0) / phases.length);
    console.log(
      JSON.stringify(
        {
          seconds: ms / 1000,
          segmentSeconds: 2,
          phases,
          mean: {
            recording: mean((p) => p.cpuPercentOfOneCore.recording!),
            notRecording: mean((p) => p.cpuPercentOfOneCore.notRecording!),
            differencePoints: mean((p) => p.differencePoints),
            ratio: round(mean((p) => p.cpuPercentOfOneCore.recording!) / mean((p) => p.cpuPercentOfOneCore.notRecording!), 2),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    tones.forEach((t) => t.kill('SIGKILL'));
    await a.stop();
    await b.stop();
    await cam.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
