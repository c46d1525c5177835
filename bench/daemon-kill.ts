// Benchmark (issue 8): kill -9 of the room daemon while a hearing records, restarted at once as systemd
// would, N times in one hearing. Odd trials freeze the media worker first (SIGSTOP: none of its
// threads runs, the worst case of a worker stuck in native code); even trials kill the daemon right
// after asking for a source switch (the worker busy changing its pipeline). Per trial: ms until no
// process of the old daemon is left, ms until the new daemon is ready and records again, media
// workers writing the room's recordings (must be 1), sealed segments whose bytes changed (must be 0).
// At the end: the hearing ends, everything is forwarded, `reception verify` on the room's copy and the
// archive, and the gaps entered over the kills with their reasons.
// Usage: npm run build && npx tsx bench/daemon-kill.ts [--trials 10]
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { parseManifest, publicKeyRawFromPem, type GapEntry, type SegmentEntry } from '../common/evidence/index.js';
import { spawnReady, type ReadyChild } from '../common/process/spawn-ready.js';
import { startHubProcess, startLinkedRoom } from '../tests/helpers/hub-process.js';
import { CLI, json } from '../tests/helpers/room-processes.js';
import { mediaWorkersOf } from '../tests/helpers/room-writers.js';
import { until } from '../tests/helpers/until.js';
import { percentile, requireBuild } from './lib/room.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '10' } } });
const exec = promisify(execFile);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const manifestOf = (dir: string) => parseManifest(readFileSync(join(dir, 'manifest.jsonl'), 'utf8')).entries;

requireBuild();
const load0 = loadavg();
const hub = await startHubProcess(1);
const room = await startLinkedRoom(hub, 1, { picture: true }); // enrolled by code at the hub
const recordings = join(room.dir, 'sim', 'recordings');
let daemon: ReadyChild<{ url: string }> = room.daemon;
const hearing = (
  await json(`${hub.url}/api/v1/hearings`, { method: 'POST', body: JSON.stringify({ title: 'Đo sự cố', rooms: ['room-demo'] }) })
).body.id as string;
const dir = join(recordings, `${hearing}.room-demo`);
const rows: string[] = [];
const gone: number[] = [];
const back: number[] = [];
const killTimes: number[] = [];
let badWriters = 0;
let changed = 0;

for (let i = 1; i <= Number(values.trials); i++) {
  const api = daemon.ready.url;
  const n0 = (await json(`${api}/api/v1/recording`)).body.segments as number;
  await until('2 new segments', 120_000, async () => (await json(`${api}/api/v1/recording`)).body.segments >= n0 + 2, 100);
  const worker = (await json(`${api}/api/v1/media/status`)).body.workerPid as number;
  const mode = i % 2 ? 'frozen' : 'switching';
  if (mode === 'frozen') process.kill(worker, 'SIGSTOP');
  else void json(`${api}/api/v1/media/source`, { method: 'POST', body: JSON.stringify({ source: 'slate' }) }).catch(() => undefined);
  const sealed = manifestOf(dir).filter((e): e is SegmentEntry => e.kind === 'segment');
  const killedAt = performance.now();
  killTimes.push(Date.now());
  process.kill(daemon.child.pid!, 'SIGKILL');
  await until('old worker gone', 30_000, () => !mediaWorkersOf(recordings).some((w) => w.pid === worker), 5);
  const goneMs = performance.now() - killedAt;
  daemon = await spawnReady(process.execPath, [CLI, 'daemon', '--config', room.configFile], {
    logFile: join(room.dir, `daemon-${i}.log`),
    env: room.env,
    timeoutMs: 60_000,
  });
  const readyMs = performance.now() - killedAt;
  await until('recording again', 60_000, async () => (await json(`${daemon.ready.url}/api/v1/recording`)).body.state === 'recording', 50);
  const recordingMs = performance.now() - killedAt;
  const writers = mediaWorkersOf(recordings).length;
  const altered = sealed.filter((s) => sha(join(dir, s.file)) !== s.sha256).length;
  badWriters += writers === 1 ? 0 : 1;
  changed += altered;
  gone.push(goneMs);
  back.push(recordingMs);
  rows.push(
    `| ${i} | ${mode} | ${Math.round(goneMs)} | ${Math.round(readyMs)} | ${Math.round(recordingMs)} | ${writers} | ${sealed.length} | ${altered} |`,
  );
  console.error(rows.at(-1));
}

await json(`${hub.url}/api/v1/hearings/${hearing}/end`, { method: 'POST', body: '{}' });
await until('closed', 60_000, async () => (await json(`${daemon.ready.url}/api/v1/recording`)).body.state === 'idle');
await until('forwarded', 300_000, async () => (await json(`${daemon.ready.url}/api/v1/health`)).body.uploader.backlogFiles === 0, 500);
// The room's appliance key (the key it enrolled): without it `reception verify` cannot confirm the signer.
const roomKey = publicKeyRawFromPem(readFileSync(join(room.env.RECEPTION_STATE_DIR, 'keys', 'appliance-ed25519.pem'), 'utf8'));
const verify = (d: string) =>
  exec(process.execPath, [CLI, 'verify', d, '--key', roomKey.toString('base64')]).then(
    (r) => r.stdout.trim().split('\n').at(-1),
    (e: { stdout: string; stderr: string }) => `FAILED: ${(e.stderr || e.stdout).trim().split('\n')[0]}`,
  );
const entries = manifestOf(dir);
const gaps = entries.filter((e): e is GapEntry => e.kind === 'gap');
const overKills = killTimes.map(
  (t) =>
    gaps
      .filter((g) => Date.parse(g.start) <= t + 2000 && Date.parse(g.end) >= t && g.reason !== 'camera-slate')
      .map((g) => `${g.reason} ${Date.parse(g.end) - Date.parse(g.start)} ms`)
      .join(', ') || 'none',
);

console.log(
  `\`npx tsx bench/daemon-kill.ts --trials ${values.trials}\` — load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
);
console.log(
  '| trial | worker | old worker gone (ms) | new daemon ready (ms) | recording again (ms) | workers writing | sealed segments | changed |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
rows.forEach((r) => console.log(r));
console.log(
  `\nold worker gone: median ${Math.round(percentile(gone, 50))} ms, max ${Math.round(Math.max(...gone))} ms; recording again: median ${Math.round(percentile(back, 50))} ms, max ${Math.round(Math.max(...back))} ms`,
);
console.log(`trials with other than one worker writing: ${badWriters}; sealed segments changed: ${changed}`);
console.log(`segments ${entries.filter((e) => e.kind === 'segment').length}, gaps ${gaps.length}, last entry ${entries.at(-1)?.kind}`);
console.log(`gaps over each kill: ${overKills.map((g, i) => `#${i + 1} ${g}`).join('; ')}`);
console.log(`reception verify (room copy): ${await verify(dir)}`);
console.log(`reception verify (archive): ${await verify(join(hub.stateDir, 'archive', `${hearing}.room-demo`))}`);
await daemon.stop('SIGINT');
await room.gateway.stop('SIGINT');
await room.sim.stop('SIGINT');
await hub.stop();
