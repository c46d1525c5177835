// Benchmark: hub CPU per forwarded stream-leg. n rooms in one hearing (n = 2, 4, 8 by default), each a
// werift publisher (hub/test/werift-participant.ts) sending real H.264 720p30 (~2.5 Mbit/s, moving
// SMPTE bars) + Opus 20 ms, everyone subscribed to everyone: n·(n−1) legs, each carrying one video +
// one audio stream. The hub is its own `reception hub` process; the participants live in this process.
// One gst-launch encoder per medium is fanned out to every publisher (same picture in every room),
// over its stdout, not UDP, so the netem loss below only hits the WebRTC legs.
// Runs inside a private network namespace (bench/lib/netns.ts); with --loss P every configuration is
// measured twice back to back on the same processes: without loss, then with P % loss — netem on the
// namespace's lo when the kernel has it, else random UDP drops in the participants' process in both
// directions (lib/udp-loss.ts; this box has no netem), so every hop to and from the hub loses P %.
// Usage: npx tsc -p tsconfig.json && npx tsx bench/hub-fanout-cpu.ts [--rooms 2,4,8] [--loss 2] [--seconds 15]
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { MediaStreamTrack } from 'werift';
import { WeriftParticipant } from '../hub/test/werift-participant.js';
import { cpuShare, rssMb } from './lib/cpu.js';
import { inBenchNamespace, reexecInNamespace } from './lib/netns.js';
import {
  benchDir,
  demoRoom,
  hubMetrics,
  machineBusy,
  percentile,
  requireBuild,
  round,
  sleep,
  startHub,
  sumMetric,
  udpCounters,
} from './lib/room.js';
import { udpLoss } from './lib/udp-loss.js';
import { OPUS_20MS, rtpOverStdout, VIDEO_720P30 } from './lib/rtp-stream.js';

if (!inBenchNamespace()) reexecInNamespace();

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '2,4,8' },
    loss: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '15' },
  },
});

type Tracks = Record<'video' | 'audio', MediaStreamTrack>;
const tracksOf = (p: WeriftParticipant) => (p as unknown as { tracks: Tracks }).tracks; // the test participant keeps them private

/** netem when the kernel has it; otherwise loss in this (the participants') process, see lib/udp-loss.ts. */
let lossMethod: 'netem' | 'in-process' | undefined;
function setLoss(lossPercent: number): void {
  if (lossMethod === undefined) {
    const probe = spawnSync('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'loss', '1%']);
    lossMethod = probe.status === 0 ? 'netem' : 'in-process';
  }
  if (lossMethod === 'netem') {
    spawnSync('tc', ['qdisc', 'del', 'dev', 'lo', 'root'], { stdio: 'ignore' }); // fails harmlessly when there is none
    if (lossPercent > 0) execFileSync('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'loss', `${lossPercent}%`]);
  } else udpLoss.rate = lossPercent / 100;
}

/** One set-up of n rooms, then one measurement per loss value, back to back on the same processes. */
async function runConfig(n: number, losses: number[], ms: number) {
  const dir = benchDir(`bench-hub-${n}`);
  setLoss(0); // set-up without loss: signaling and ICE are not what we measure
  const hub = await startHub(dir, n);
  const rooms = Array.from(
    { length: n },
    (_, i) => new WeriftParticipant({ url: hub.signal, kind: 'room', id: demoRoom(i + 1).id, token: hub.tokens[i]! }),
  );
  const feeding = { on: false, video: 0, audio: 0 };
  const encoders = [
    rtpOverStdout(
      VIDEO_720P30,
      (pkt) => feeding.on && ++feeding.video && rooms.forEach((r) => r.publishPc && tracksOf(r).video.writeRtp(pkt)),
    ),
    rtpOverStdout(
      OPUS_20MS,
      (pkt) => feeding.on && ++feeding.audio && rooms.forEach((r) => r.publishPc && tracksOf(r).audio.writeRtp(pkt)),
    ),
  ];
  const legsWanted = n * (n - 1);
  try {
    for (const r of rooms) await r.connect();
    for (const r of rooms) await r.publish();
    feeding.on = true;
    const res = await fetch(`${hub.url}/api/v1/hearings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `bench ${n}`, rooms: rooms.map((r) => r.opts.id) }),
    });
    if (res.status !== 201) throw new Error(`hearing: ${res.status} ${await res.text()}`);
    // Wait until every leg forwards video (or 40 s: then we measure what is up and say so).
    const legVideo = async () => {
      const m = await hubMetrics(hub.url);
      return [...m].filter(([k]) => k.startsWith('reception_hub_forwarded_packets_total{') && k.includes('kind="video"')).map(([, v]) => v);
    };
    const t0 = Date.now();
    let flowing = 0;
    while (Date.now() - t0 < 40_000) {
      const a = await legVideo();
      await sleep(1000);
      const b = await legVideo();
      flowing = b.filter((v, i) => v > (a[i] ?? 0)).length;
      if (flowing >= legsWanted) break;
    }
    const setupMs = Date.now() - t0;
    const phases = [];
    for (const lossPercent of losses) {
      setLoss(lossPercent);
      await sleep(4000); // settle under loss: NACK / PLI traffic reaches its steady state
      const m0 = await hubMetrics(hub.url);
      const sub0 = rooms.map((r) => [...r.subs.values()].map((s) => s.packets));
      const plis0 = rooms.reduce((a, r) => a + r.plisReceived, 0);
      const u0 = udpCounters();
      const l0 = { ...udpLoss };
      const f0 = { ...feeding };
      const busy = machineBusy();
      const cpu = await cpuShare({ hub: hub.child.pid!, participants: process.pid, videoEncoder: encoders[0]!.pid! }, ms);
      const machine = busy();
      const u1 = udpCounters();
      const m1 = await hubMetrics(hub.url);
      const sub1 = rooms.map((r) => [...r.subs.values()].map((s) => s.packets));
      const d = (name: string, ...f: string[]) => sumMetric(m1, name, ...f) - sumMetric(m0, name, ...f);
      const perSec = (x: number) => (x * 1000) / ms;
      const legRows = [...m1].filter(([k]) => k.startsWith('reception_hub_forwarded_packets_total{'));
      const perLeg = new Map<string, number>();
      for (const [k, v] of legRows) {
        const sid = /sid="([^"]+)"/.exec(k)![1]!;
        perLeg.set(sid, (perLeg.get(sid) ?? 0) + v - (m0.get(k) ?? 0));
      }
      const legPps = [...perLeg.values()].map(perSec);
      const legs = [...perLeg.values()].filter((v) => v > 0).length;
      const subPps = sub1.flatMap((row, i) => row.map((v, j) => perSec(v - (sub0[i]![j] ?? 0))));
      const lossObserved =
        (udpLoss.droppedIn - l0.droppedIn + udpLoss.droppedOut - l0.droppedOut) /
        Math.max(
          1,
          udpLoss.droppedIn -
            l0.droppedIn +
            udpLoss.droppedOut -
            l0.droppedOut +
            udpLoss.passedIn -
            l0.passedIn +
            udpLoss.passedOut -
            l0.passedOut,
        );
      phases.push({
        rooms: n,
        lossPercent,
        lossMethod: lossPercent > 0 ? lossMethod : undefined,
        lossObservedPercent: lossMethod === 'in-process' && lossPercent > 0 ? round(lossObserved * 100, 2) : undefined,
        legsWanted,
        legsFlowing: legs,
        setupMs,
        cpuPercentOfOneCore: cpu,
        machine: { ...machine, loadAverage1m: loadavg()[0] },
        hubCpuPerLegPercent: round(cpu.hub! / Math.max(1, legs), 2),
        // The encoder and the participants share this 2-core box with the hub: when it is saturated the rate per leg
        // drops, so also per 1000 forwarded packets/s and scaled to the nominal rate of one leg (385 packets/s).
        hubCpuPerKppsForwarded: round(cpu.hub! / Math.max(0.001, perSec(d('reception_hub_forwarded_packets_total')) / 1000), 2),
        hubCpuPerLegAtNominalRatePercent: round(
          (cpu.hub! / Math.max(0.001, perSec(d('reception_hub_forwarded_packets_total')) / 1000)) * 0.385,
          2,
        ),
        hubRssMb: rssMb(hub.child.pid!),
        packetsPerSecond: {
          encoderVideo: round(perSec(feeding.video - f0.video), 0),
          encoderAudio: round(perSec(feeding.audio - f0.audio), 0),
          hubReceivedTotal: round(perSec(d('reception_hub_received_packets_total')), 0),
          hubReceivedPerPublisher: round(perSec(d('reception_hub_received_packets_total')) / n, 0),
          hubForwardedTotal: round(perSec(d('reception_hub_forwarded_packets_total')), 0),
          perLegForwardedMedian: round(percentile(legPps, 50), 0),
          perLegForwardedMin: round(Math.min(...legPps), 0),
          perLegReceivedBySubscriberMedian: round(percentile(subPps, 50), 0),
          perLegReceivedBySubscriberMin: round(Math.min(...subPps), 0),
        },
        hubForwardedMbps: round((perSec(d('reception_hub_forwarded_bytes_total')) * 8) / 1e6, 1),
        keyframeRequestsPerSecond: round(perSec(d('reception_hub_keyframe_requests_total')), 2),
        plisAtPublishersPerSecond: round(perSec(rooms.reduce((a, r) => a + r.plisReceived, 0) - plis0), 2),
        udpRcvbufErrorsPerSecond: round(perSec(u1.rcvbufErrors - u0.rcvbufErrors), 1),
      });
    }
    return phases;
  } finally {
    feeding.on = false;
    setLoss(0);
    encoders.forEach((e) => e.kill('SIGKILL'));
    await Promise.all(rooms.map((r) => r.close().catch(() => undefined)));
    await hub.stop('SIGTERM', 3000);
  }
}

async function main() {
  requireBuild();
  const ms = Number(values.seconds) * 1000;
  const loss = Number(values.loss);
  const results: unknown[] = [];
  for (const n of values.rooms!.split(',').map(Number)) {
    const r = await runConfig(n, loss > 0 ? [0, loss] : [0], ms).catch((err: Error) => [{ rooms: n, error: err.message }]);
    r.forEach((x) => console.error(JSON.stringify(x)));
    results.push(...r);
  }
  console.log(JSON.stringify({ seconds: ms / 1000, results }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
