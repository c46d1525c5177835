// `npm run soak -- --minutes N [--flap-every 5] [--flap-down 20] [--out DIR] [--warmup 10] [--heap-snapshots 10,60]`
//
// A hearing held N minutes with real processes, as `npm run demo` starts them (hub; a simulated room:
// hardware simulators, daemon + media worker, gateway), on free loopback ports and directories of its own,
// with a viewer at the hub (a werift officer subscribing to the room) and the camera flapping every
// `--flap-every` minutes (its RTSP server stopped and the ONVIF device offline for `--flap-down` seconds).
// Every minute: RSS, open file descriptors and threads of every process (and of their children, e.g. the
// media worker), what the viewer received, the room's health and recording. At the end: per process the
// first/last/max figures and the slope per hour after the warm-up (least squares), as a Markdown table.
// Samples go to DIR/samples.jsonl as they are taken (a run cut short keeps them), the table to DIR/summary.md.
//
// Run it from a checkout with dist/ built (`npx tsc -p tsconfig.json`); the processes run dist/'s JS.

import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WeriftParticipant } from '../../hub/test/werift-participant.js';
import { startHubProcess, startLinkedRoom } from '../../tests/helpers/hub-process.js';
import { json } from '../../tests/helpers/room-processes.js';
import { until } from '../../tests/helpers/until.js';
import { endChecks } from './end-checks.js';
import { watchMemory } from './memory-watch.js';
import { type ProcSample, sampleProcess, sampleTree } from './proc-sample.js';
import { summarize } from './slope.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    'flap-every': { type: 'string', default: '5' },
    'flap-down': { type: 'string', default: '20' },
    warmup: { type: 'string', default: '10' },
    out: { type: 'string' },
    'heap-snapshots': { type: 'string', default: '' },
  },
});
const minutes = Number(values.minutes);
const flapEvery = Number(values['flap-every']);
const flapDownMs = Number(values['flap-down']) * 1000;
const warmup = Number(values.warmup);
if (!(minutes >= 1)) throw new Error(`--minutes must be ≥ 1 (got ${values.minutes})`);
const out = resolve(values.out ?? `/tmp/soak-${process.pid}`);
mkdirSync(out, { recursive: true });
const say = (s: string) => process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

say(`N=${minutes} min, camera flap every ${flapEvery} min for ${flapDownMs / 1000} s, output ${out}`);
const hub = await startHubProcess(1);
const room = await startLinkedRoom(hub, 1, { picture: true });
say(`hub ${hub.url} (state ${hub.stateDir}), room ${room.api} (dir ${room.dir}), sim control ${room.sim.ready.control}`);

let stopping = false;
// Once: a second SIGINT (`pkill -INT` reaches both tsx and this process, which tsx then signals again) must not
// start a second stop whose end exits the process while the first one is still stopping the hub (seen: hub,
// simulators and daemon left running).
let stopped: Promise<void> | undefined;
const stopAll = () =>
  (stopped ??= (async () => {
    stopping = true;
    await viewer?.close().catch(() => undefined);
    await room.stop().catch(() => undefined);
    await hub.stop('SIGINT').catch(() => undefined);
  })());
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(143)));

const hearing = (
  await json(`${hub.url}/api/v1/hearings`, { method: 'POST', body: JSON.stringify({ title: 'Phiên chạy dài (soak)', rooms: [room.id] }) })
).body.id as string;
say(`hearing ${hearing}`);

let viewer: WeriftParticipant | undefined;
let rejoins = 0;
const roomPackets = () => [...(viewer?.received.entries() ?? [])].filter(([id]) => id.includes(room.id)).reduce((a, [, n]) => a + n, 0);
const anyPackets = () => [...(viewer?.received.values() ?? [])].reduce((a, n) => a + n, 0);
let carried = 0; // packets counted by viewers dropped before
const joinViewer = async () => {
  if (viewer) {
    carried += anyPackets();
    await viewer.drop().catch(() => undefined);
  }
  viewer = new WeriftParticipant({ url: hub.signalUrl, kind: 'officer', id: 'Người xem (soak)', hearing });
  await viewer.connect();
};
// A soak that cannot start must not leave its hub and room running (seen: a failed start kept five processes up).
await joinViewer()
  .then(() => until('room media at the viewer', 120_000, () => anyPackets() > 100, 200))
  .catch(async (err: Error) => {
    say(`no media at the viewer, stopping: ${err.message} (logs: ${hub.stateDir}, ${room.dir})`);
    await stopAll();
    process.exit(1);
  });
say(`viewer receiving (publishers ${[...viewer!.received.keys()].join(', ')}; room-matched ${roomPackets()})`);

// Camera flapping: the RTSP server stops and the ONVIF device goes offline, then both come back.
const control = room.sim.ready.control;
let flaps = 0;
const post = (path: string, body = '{}') => json(`${control}${path}`, { method: 'POST', body });
const flap = async () => {
  flaps++;
  say(`camera flap #${flaps}: down`);
  await post('/sims/rtsp/stop');
  await post('/sims/onvif/faults', JSON.stringify({ offline: true }));
  await new Promise((r) => setTimeout(r, flapDownMs));
  await post('/sims/rtsp/start');
  await post('/sims/onvif/faults', JSON.stringify({ offline: false }));
  say(`camera flap #${flaps}: up`);
};

const roleOf = (p: ProcSample) => (p.cmdline.includes('media-worker') ? 'media worker' : undefined);
const roots = () => ({ hub: hub.child.pid!, sim: room.sim.child.pid!, daemon: room.daemon.child.pid!, gateway: room.gateway.child.pid! });
type Row = { minute: number; role: string; pid: number; rssKb: number; fds: number; threads: number };
const rows: Row[] = [];
const pidsByRole = new Map<string, Set<number>>();

// The daemon's and the gateway's RSS climbed in earlier soaks: their heap and buffers are read each minute through
// their inspectors, and heap snapshots written at the minutes of --heap-snapshots (e.g. 10,60) for heap-diff.ts.
const snapshotMinutes = values['heap-snapshots'] ? values['heap-snapshots'].split(',').map(Number) : [];
const memory = await watchMemory({ daemon: room.daemon.child.pid!, gateway: room.gateway.child.pid! }, { snapshotMinutes, out, say });

const t0 = Date.now();
let lastPackets = 0;
let silentMinutes = 0;
const sample = async (minute: number) => {
  const procs: (ProcSample & { role: string })[] = [];
  for (const [name, pid] of Object.entries(roots())) procs.push(...sampleTree(name, pid, roleOf));
  const self = sampleProcess(process.pid);
  if (self) procs.push({ ...self, role: 'soak runner + viewer' });
  // Roles seen more than once (e.g. two children with one comm) are summed.
  const byRole = new Map<string, Row>();
  for (const p of procs) {
    const r = byRole.get(p.role) ?? { minute, role: p.role, pid: p.pid, rssKb: 0, fds: 0, threads: 0 };
    r.rssKb += p.rssKb;
    r.fds += p.fds;
    r.threads += p.threads;
    byRole.set(p.role, r);
    pidsByRole.set(p.role, (pidsByRole.get(p.role) ?? new Set()).add(p.pid));
  }
  rows.push(...byRole.values());
  const packets = carried + anyPackets();
  const perSecond = Math.round((packets - lastPackets) / 60);
  lastPackets = packets;
  const health = await json(`${room.api}/api/v1/health`).then(
    (r) => r.body?.status ?? r.status,
    (e: Error) => `unreachable: ${e.message}`,
  );
  const recording = await json(`${room.api}/api/v1/recording`).then(
    (r) => ({ state: r.body?.state, segments: r.body?.segments, bytes: r.body?.bytes, gaps: r.body?.gaps }),
    () => ({}),
  );
  const line = {
    minute,
    at: new Date().toISOString(),
    load: loadavg().map((l) => Number(l.toFixed(2))),
    viewerPktPerS: minute === 0 ? null : perSecond,
    rejoins,
    flaps,
    health,
    recording,
    memory: await memory.sample(minute),
    procs: [...byRole.values()].map(({ role, pid, rssKb, fds, threads }) => ({ role, pid, rssKb, fds, threads })),
  };
  appendFileSync(`${out}/samples.jsonl`, `${JSON.stringify(line)}\n`);
  say(
    `min ${minute}: viewer ${line.viewerPktPerS ?? '-'} pkt/s, health ${JSON.stringify(health)}, recording ${JSON.stringify(recording)}, ` +
      [...byRole.values()].map((r) => `${r.role} ${(r.rssKb / 1024).toFixed(0)}MB/${r.fds}fd`).join(', '),
  );
  // A viewer that gets nothing for two minutes re-joins (as an officer reloads the console), said loudly.
  if (minute > 0 && perSecond === 0 && ++silentMinutes >= 2) {
    rejoins++;
    silentMinutes = 0;
    say(`viewer got nothing for 2 minutes: re-joining (#${rejoins})`);
    await joinViewer().catch((e: Error) => say(`re-join failed: ${e.message}`));
  } else if (perSecond > 0) silentMinutes = 0;
};

await sample(0);
for (let minute = 1; minute <= minutes && !stopping; minute++) {
  const due = t0 + minute * 60_000;
  if (flapEvery > 0 && minute % flapEvery === 0 && minute < minutes) {
    // the flap starts half a minute before the sample, so the sample sees the room after it
    await new Promise((r) => setTimeout(r, Math.max(0, due - 30_000 - flapDownMs - Date.now())));
    await flap().catch((e: Error) => say(`flap failed: ${e.message}`));
  }
  await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
  await sample(minute);
}

// The table: per role, RSS and FDs first/last/max and slope per hour after the warm-up.
const roles = [...new Set(rows.map((r) => r.role))];
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const table = [
  `| process | pids seen | RSS MB first → last (max) | RSS MB/h after min ${warmup} (r²) | FDs first → last (max) | FDs/h after min ${warmup} (r²) | threads first → last |`,
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const role of roles) {
  const rs = rows.filter((r) => r.role === role);
  const rss = summarize(
    rs.map((r) => ({ minute: r.minute, value: r.rssKb / 1024 })),
    warmup,
  )!;
  const fds = summarize(
    rs.map((r) => ({ minute: r.minute, value: r.fds })),
    warmup,
  )!;
  table.push(
    `| ${role} | ${pidsByRole.get(role)!.size} | ${fmt(rss.first)} → ${fmt(rss.last)} (${fmt(rss.max)}) | ${fmt(rss.perHour, 2)} (${fmt(rss.r2, 2)}) | ` +
      `${fds.first} → ${fds.last} (${fds.max}) | ${fmt(fds.perHour, 2)} (${fmt(fds.r2, 2)}) | ${rs[0].threads} → ${rs.at(-1)!.threads} |`,
  );
}
const summary = [
  `Soak: ${minutes} min from ${new Date(t0).toISOString()} to ${new Date().toISOString()}, camera flaps ${flaps}, viewer re-joins ${rejoins}, load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
  '',
  ...table,
  ...memory.table(warmup),
].join('\n');
writeFileSync(`${out}/summary.md`, `${summary}\n`);
process.stdout.write(`\n${summary}\n\n`);

// Then the hearing ends and what it recorded is checked (forwarded, gaps by reason, both verifiers).
await json(`${hub.url}/api/v1/hearings/${hearing}/end`, { method: 'POST', body: '{}' }).catch(() => undefined);
const checks = await endChecks({
  roomApi: room.api,
  roomStateDir: room.env.RECEPTION_STATE_DIR!,
  recordingsDir: join(room.dir, 'sim', 'recordings'),
  archiveDir: join(hub.stateDir, 'archive'),
  hearingDir: `${hearing}.${room.id}`,
  say,
});
appendFileSync(
  `${out}/summary.md`,
  `\n${[...checks, `directories (left for inspection): hub ${hub.stateDir}, room ${room.dir}`].join('\n')}\n`,
);
await stopAll();
process.exit(0);
