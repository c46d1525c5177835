// One measurement over a set of rigs fed by one encoder pair (bench/sfu-compare.ts, sfu-compare-workers.ts):
// wait until every leg carries video and audio, settle, then over `ms` the forwarding processes' CPU (summed),
// packets lost at the subscribers, delivered packets/s and the load average; normalised per leg.
import { loadavg } from 'node:os';
import { cpuShare } from './lib/cpu.js';
import { machineBusy, percentile, round, sleep, udpCounters } from './lib/room.js';
import { OPUS_20MS, rtpOverStdout, VIDEO_720P30 } from './lib/rtp-stream.js';
import { lossBetween } from './sfu-compare-loss.js';
import type { Rig } from './sfu-compare-rig.js';

export const NOMINAL_LEG_PPS = 385;

/** H.264 constrained-baseline 720p30 ~2.6 Mbit/s + Opus 20 ms, every packet to every publisher of the rigs on air. */
export function startFeed() {
  const fed = { video: 0, audio: 0 };
  let onAir: Rig[] = [];
  const to = (kind: 'video' | 'audio') => (pkt: Buffer) => {
    fed[kind]++;
    for (const rig of onAir) for (const p of rig.publishers) p.write(kind, pkt);
  };
  const encoders = [
    rtpOverStdout(VIDEO_720P30.replace('bitrate=2500', 'bitrate=2600'), to('video')),
    rtpOverStdout(OPUS_20MS, to('audio')),
  ];
  return {
    fed,
    onAir: (rigs: Rig[]) => {
      onAir = rigs;
    },
    stop: () => encoders.forEach((e) => e.kill('SIGKILL')),
  };
}

export async function measureRigs(rigs: Rig[], feed: ReturnType<typeof startFeed>, ms: number, t0 = Date.now()) {
  const { fed } = feed;
  const legsWanted = rigs.reduce((a, r) => a + r.legsWanted, 0);
  const up = () => rigs.flatMap((r) => r.legs()).filter((l) => l.length === 2 && l.every((c) => c.snapshot().received > 0)).length;
  while (up() < legsWanted && Date.now() - t0 < 60_000) await sleep(500);
  const setupMs = Date.now() - t0;
  await sleep(3000); // settle: keyframe requests, NACK and TWCC at their steady state
  const legs = rigs.flatMap((r) => r.legs());
  const before = legs.map((l) => l.map((c) => c.snapshot()));
  const f0 = { ...fed };
  const udp0 = udpCounters();
  const load0 = loadavg()[0]!;
  const busy = machineBusy();
  const pids = Object.fromEntries(rigs.map((r, i) => [`sfu${i}`, r.sfuPid]));
  const cpu = await cpuShare({ ...pids, participants: process.pid }, ms);
  const machine = busy();
  const after = legs.map((l) => l.map((c) => c.snapshot()));
  const all = lossBetween(before.flat(), after.flat());
  const perLeg = after.map((l, i) => lossBetween(before[i]!, l));
  const perSec = (x: number) => (x * 1000) / ms;
  const sfu = rigs.reduce((a, _, i) => a + cpu[`sfu${i}`]!, 0);
  const deliveredKpps = perSec(all.received) / 1000;
  // A loaded box starves the encoder (fewer packets/s than a camera sends): per leg is scaled to a full-rate
  // leg, 385 packets/s (video + audio, as in the hub figures above it in docs/PERFORMANCE.md).
  const perLegAtNominal = (sfu / Math.max(0.001, deliveredKpps)) * (NOMINAL_LEG_PPS / 1000);
  return {
    legsWanted,
    legsFlowing: perLeg.filter((l) => l.received > 0).length,
    setupMs,
    loadAverage1m: [round(load0, 2), round(loadavg()[0]!, 2)],
    machineBusyPercentOfOneCore: machine.busyPercentOfOneCore,
    cpuPercentOfOneCore: { ...cpu, sfu: round(sfu) },
    publisherPps: round(perSec(fed.video - f0.video + fed.audio - f0.audio), 0),
    deliveredPpsPerLegMedian: round(
      percentile(
        perLeg.map((l) => perSec(l.received)),
        50,
      ),
      0,
    ),
    deliveredPpsPerLegMin: round(Math.min(...perLeg.map((l) => perSec(l.received))), 0),
    // End to end: packets fed to the publishers vs distinct packets the subscribers got, over every wanted leg
    // (a leg that never came up lost everything). werift renumbers what it sends, so a packet the hub drops
    // before its sender leaves no sequence gap: only this figure sees it. ± packets in flight at the edges.
    lossPercent: round((1 - all.received / Math.max(1, legsWanted * (fed.video - f0.video + fed.audio - f0.audio))) * 100, 2),
    seqGapLossPercent: round(all.fraction * 100, 3),
    udpRcvbufErrorsPerSecond: round(perSec(udpCounters().rcvbufErrors - udp0.rcvbufErrors), 1),
    sfuCpuPerLegPercent: round(sfu / Math.max(1, legsWanted), 2),
    sfuCpuPer1000DeliveredPps: round(sfu / Math.max(0.001, deliveredKpps), 2),
    sfuCpuPerLegAtNominalPercent: round(perLegAtNominal, 2),
    legsPerCore: round(100 / Math.max(0.01, perLegAtNominal), 1),
  };
}
