// `tsx chaos/faults/local-run.ts [--only a,b] [--out DIR]` (root; dist/ built)
//
// Part Q's fault scenarios (chaos/scenarios/faults-*.ts) run for real on loopback, one fresh hearing each
// (hub; simulated room: sims, daemon + media worker, gateway — as tests/helpers start them), WITHOUT the
// chaos runner's namespaces and impaired link: the process, device, disk and clock faults need no link.
// A stand-in until P's runner (`npm run chaos`) runs them; the same Scenario objects, the same checks.
// The "viewer" is a werift officer at the hub counting the room's RTP packets per second (not decoded
// frames: packets/s is reported as such; "media back" = the first second at ≥ half the baseline's packets/s;
// a scenario's minFpsDuring > 0 becomes "median during ≥ half the baseline").
// After each scenario the hearing ends and the recording is checked by chaos/soak/end-checks.ts (closed,
// forwarded, manifest gaps by reason, `reception verify` of the room's copy and the hub's archive) plus
// ffprobe of every segment and sha256 of every file against the manifest. Results → DIR/results.md.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { WeriftParticipant } from '../../hub/test/werift-participant.js';
import { startHubProcess, startLinkedRoom } from '../../tests/helpers/hub-process.js';
import { CLI, json, ROOM_TECHNICIAN_TOKEN } from '../../tests/helpers/room-processes.js';
import { until } from '../../tests/helpers/until.js';
import { spawnReady } from '../../common/process/spawn-ready.js';
import { DEFAULT_EXPECT, type ChaosProcess, type ProcName, type Scenario, type ScenarioContext, type ViewerSample } from '../scenario.js';
import { endChecks } from '../soak/end-checks.js';
import { mountTmpfs, inMountNamespaceOf } from './disk.js';

const pexec = promisify(execFile);
const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' }, 'include-long': { type: 'boolean' } } });
const out = resolve(values.out ?? `/tmp/chz-q-${process.pid}`);
mkdirSync(out, { recursive: true });
const say = (s: string) => {
  const line = `[faults ${new Date().toISOString().slice(11, 19)}] ${s}`;
  process.stdout.write(`${line}\n`);
  appendFileSync(join(out, 'run.log'), `${line}\n`);
};

const all: Scenario[] = [];
for (const f of ['faults-process', 'faults-devices', 'faults-disk', 'faults-clock']) {
  all.push(...((await import(`../scenarios/${f}.js`)) as { scenarios: Scenario[] }).scenarios);
}
const only = values.only?.split(',');
const chosen = only ? only.flatMap((n) => all.filter((s) => s.name === n)) : all.filter((s) => !s.long || values['include-long']);
if (only)
  for (const n of only)
    if (!all.some((s) => s.name === n)) throw new Error(`no scenario ${n}; known: ${all.map((s) => s.name).join(', ')}`);

// The werift viewer's subscription can fail while the hub restarts (createAnswer on a torn-down PC): it
// re-joins; such errors must not end the run.
process.on('unhandledRejection', (e) => say(`  (viewer) ${(e as Error)?.message ?? e}`));
process.on('uncaughtException', (e) => say(`  (viewer) ${e.message}`));

// Whatever ends this run (an error, ^C), the hearing's processes go with it: SIGKILL by pid, ours only.
let running: (() => (number | undefined)[]) | undefined;
const killOurs = () => {
  // also our own children a failed start left behind (spawnReady does not kill a process that missed its deadline)
  let kids: number[] = [];
  try {
    kids = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'reception.js'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
  } catch {}
  for (const pid of [...(running?.() ?? []), ...kids]) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {}
  }
};
process.on('exit', killOurs);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

async function runOne(sc: Scenario) {
  say(`=== ${sc.name}: ${sc.title}`);
  const hub0 = await startHubProcess(1);
  running = () => [hub0.child.pid];
  let hub = hub0 as Awaited<ReturnType<typeof startHubProcess>>;
  // The room's processes inherit process.env (sim) or room.env (daemon, gateway): a scenario's roomEnv goes there.
  const saved = { ...process.env };
  Object.assign(process.env, sc.setup?.roomEnv ?? {});
  const room = await startLinkedRoom(hub, 1, { picture: true }).finally(() => {
    for (const k of Object.keys(sc.setup?.roomEnv ?? {})) if (saved[k] === undefined) delete process.env[k];
  });
  const recordings = join(room.dir, 'sim', 'recordings');
  const cfgRecordings = (JSON.parse(readFileSync(room.configFile, 'utf8')) as { paths?: { recordings?: string } }).paths?.recordings;
  const recDir = cfgRecordings ? resolve(cfgRecordings) : recordings;
  let daemon = room.daemon;
  let sim = room.sim;
  let tmpfs: { remove(): Promise<void> } | undefined;
  const here = inMountNamespaceOf(() => undefined);
  const restartDaemon = async () => {
    daemon = await spawnReady(process.execPath, [CLI, 'daemon', '--config', room.configFile], {
      logFile: join(room.dir, 'daemon.log'),
      env: room.env,
    });
  };
  if (sc.setup?.recordingsTmpfsMb) {
    await daemon.stop('SIGINT');
    mkdirSync(recDir, { recursive: true });
    tmpfs = await mountTmpfs(here, recDir, sc.setup.recordingsTmpfsMb);
    await restartDaemon();
    say(`tmpfs ${sc.setup.recordingsTmpfsMb} MiB on ${recDir}`);
  }
  const workerPid = (): number | undefined => {
    const d = daemon.child.pid;
    if (!d) return undefined;
    try {
      const kids = execFileSync('pgrep', ['-P', String(d)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
      return kids.find((k) => {
        try {
          return readFileSync(`/proc/${k}/cmdline`, 'utf8').includes('worker');
        } catch {
          return false;
        }
      });
    } catch {
      return undefined;
    }
  };
  const alive = (pid: number | undefined) => {
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
    } catch {
      return false;
    }
  };
  const proc = (
    name: ProcName,
    o: { pid: () => number | undefined; kill: (s: NodeJS.Signals) => Promise<void>; restart: () => Promise<void> },
  ): ChaosProcess => ({
    name,
    logFile: join(room.dir, `${name}.log`),
    pid: () => (alive(o.pid()) ? o.pid() : undefined),
    alive: () => alive(o.pid()),
    kill: o.kill,
    restart: o.restart,
  });
  const simArgs = sim.child.spawnargs.slice(1);
  const wa = simArgs.indexOf('--write-config');
  if (wa >= 0) simArgs.splice(wa, 2); // a restarted sim must not rewrite the enrolled config
  const procs: Record<ProcName, ChaosProcess> = {
    hub: proc('hub', {
      pid: () => hub.child.pid,
      kill: (s) => hub.stop(s, 2000),
      restart: async () => {
        hub = await startHubProcess(1, { port: hub0.port, stateDir: hub0.stateDir });
      },
    }),
    daemon: proc('daemon', { pid: () => daemon.child.pid, kill: (s) => daemon.stop(s, 2000), restart: restartDaemon }),
    worker: proc('worker', {
      pid: workerPid,
      kill: async (s) => {
        const p = workerPid();
        if (!p) return;
        process.kill(p, s);
        await until('worker exit', 10_000, () => !alive(p));
      },
      restart: async () => {
        await until('a new media worker', 60_000, () => workerPid(), 100);
      },
    }),
    gateway: proc('gateway', {
      pid: () => room.gateway.child.pid,
      kill: (s) => room.gateway.stop(s, 2000),
      restart: () => room.restartGateway(),
    }),
    sim: proc('sim', {
      pid: () => sim.child.pid,
      kill: (s) => sim.stop(s, 2000),
      restart: async () => {
        sim = await spawnReady(process.execPath, simArgs, { logFile: join(room.dir, 'sim.log'), timeoutMs: 30_000 });
      },
    }),
  };

  running = () => [hub.child.pid, sim.child.pid, daemon.child.pid, room.gateway.child.pid, workerPid()];
  const hearing = (
    await json(`${hub.url}/api/v1/hearings`, { method: 'POST', body: JSON.stringify({ title: `Chaos ${sc.name}`, rooms: [room.id] }) })
  ).body.id as string;
  // Viewer: packets per second from the room; re-joins (as an officer's console does) after 2 s of silence.
  let viewer: WeriftParticipant | undefined;
  let lastTotal = 0;
  let carried = 0;
  let silentFor = 0;
  const samples: ViewerSample[] = [];
  const total = () => carried + [...(viewer?.received.values() ?? [])].reduce((a, n) => a + n, 0);
  const join1 = async () => {
    if (viewer) {
      carried += [...viewer.received.values()].reduce((a, n) => a + n, 0);
      await viewer.drop().catch(() => undefined);
    }
    viewer = new WeriftParticipant({ url: hub.signalUrl, kind: 'officer', id: 'Người xem (chaos Q)', hearing });
    await viewer.connect();
  };
  await join1();
  let rejoining = false;
  const tick = setInterval(() => {
    const t = total();
    const n = t - lastTotal;
    lastTotal = t;
    samples.push({ t: performance.now(), frames: n, audioPackets: 0, maxAudioGapMs: 0, connected: n > 0 });
    silentFor = n > 0 ? 0 : silentFor + 1;
    if (silentFor >= 2 && !rejoining) {
      rejoining = true;
      join1()
        .catch(() => undefined)
        .finally(() => (rejoining = false));
    }
  }, 1000);
  const pps = (from: number, to: number) => {
    const w = samples
      .filter((s) => s.t > from && s.t <= to)
      .map((s) => s.frames)
      .sort((a, b) => a - b);
    return w.length ? w[Math.floor(w.length / 2)] : 0;
  };
  await until('room media at the viewer', 90_000, () => (samples.at(-1)?.frames ?? 0) > 40, 250);
  const baselineMs = sc.baselineMs ?? 8000;
  const baseFrom = performance.now();
  await new Promise((r) => setTimeout(r, baselineMs));
  const base = pps(baseFrom, performance.now());
  const tech = { authorization: `Bearer ${ROOM_TECHNICIAN_TOKEN}` };
  const ctx: ScenarioContext = {
    procs,
    paths: {
      run: out,
      room: room.dir,
      roomConfig: room.configFile,
      roomState: room.env.RECEPTION_STATE_DIR!,
      recordings: recDir,
      hubState: hub0.stateDir,
      archive: join(hub0.stateDir, 'archive'),
    },
    hearing: { id: hearing, roomId: room.id },
    roomApi: (p, init) => fetch(`${room.api}${p}`, { ...init, headers: { ...tech, ...(init?.headers as Record<string, string>) } }),
    hubApi: (p, init) => fetch(`${hub.url}${p}`, init),
    sims: (p, init) => fetch(`${sim.ready.control}${p}`, init),
    exec: async (_w, cmd, args) =>
      pexec(cmd, args).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(e) }),
      ),
    link: {
      impair: async () => Promise.reject(new Error('no impaired link on loopback')),
      rate: async () => Promise.reject(new Error('no impaired link on loopback')),
      down: async () => Promise.reject(new Error('no impaired link on loopback')),
      up: async () => Promise.reject(new Error('no impaired link on loopback')),
      clear: async () => {},
      stats: async () => ({ up: { passed: 0, dropped: 0, bytes: 0 }, down: { passed: 0, dropped: 0, bytes: 0 } }),
    },
    viewer: { samples: () => samples, fps: pps },
    seed: 12,
    log: (m) => say(`  ${m}`),
    mark: (l) => (say(`  mark: ${l}`), performance.now()),
    hold: (ms) => new Promise((r) => setTimeout(r, ms)),
    until: (cond, o) => until(o.what, o.timeoutMs, cond as () => unknown, o.everyMs) as never,
  };
  let row: string;
  try {
    const o = await sc.run(ctx);
    const expect = { ...DEFAULT_EXPECT, ...o.expect };
    for (const n of ['sim', 'daemon', 'gateway', 'hub'] as ProcName[])
      if (!procs[n].alive() && !o.keepDown?.includes(n)) {
        say(`  ${n} left down: restarting it`);
        await procs[n].restart();
      }
    const during = pps(o.faultStart, o.faultEnd);
    const backAt = Math.max(20, Math.round(base / 2));
    const back = await until(
      'media back at the viewer',
      120_000,
      () => samples.find((s) => s.t > o.faultEnd && s.frames >= backAt),
      250,
    ).catch(() => undefined);
    const recoveryMs = back ? Math.max(0, Math.round(back.t - 1000 - o.faultEnd)) : null;
    const afterFrom = performance.now();
    await new Promise((r) => setTimeout(r, sc.afterMs ?? 10_000));
    const after = pps(afterFrom, performance.now());
    // The hearing ends; its recording is checked.
    await json(`${hub.url}/api/v1/hearings/${hearing}/end`, { method: 'POST', body: '{}' }).catch(() => undefined);
    const hearingDir = `${hearing}.${room.id}`;
    const end = await endChecks({
      roomApi: room.api,
      roomStateDir: room.env.RECEPTION_STATE_DIR!,
      recordingsDir: recDir,
      archiveDir: join(hub0.stateDir, 'archive'),
      hearingDir,
      say: (s) => say(`  ${s}`),
    });
    // The room deletes what the hub receipted (retention): its copy verifies with its pinned hub key
    // (receipts stand for deleted segments); the independent check reads the archive, which holds everything.
    const key = join(room.env.RECEPTION_STATE_DIR!, 'keys', 'appliance-ed25519.pem'); // PEM file
    const verify = (dir: string, extra: string[]) =>
      pexec(process.execPath, [CLI, 'verify', dir, '--key', key, ...extra], { maxBuffer: 64 << 20 }).then(
        (r) => ({ ok: true, line: r.stdout.trim().split('\n').at(-1) ?? '' }),
        (e: { stdout?: string; stderr?: string }) => ({
          ok: false,
          line: `FAILED: ${(e.stderr || e.stdout || '').trim().split('\n').slice(-2).join(' / ')}`,
        }),
      );
    const roomV = await verify(join(recDir, hearingDir), ['--state-dir', room.env.RECEPTION_STATE_DIR!]);
    const hubV = await verify(join(hub0.stateDir, 'archive', hearingDir), []);
    say(`  verify room copy (with receipts): ${roomV.line}; archive: ${hubV.line}`);
    const indep = await independentCheck(join(hub0.stateDir, 'archive', hearingDir));
    say(`  independent (archive): ${indep.detail}`);
    const verified = roomV.ok && hubV.ok && indep.ok;
    const checks = o.checks ?? [];
    const pass =
      checks.every((c) => c.ok) &&
      (expect.verifies ? verified : true) &&
      recoveryMs !== null &&
      recoveryMs <= expect.recoveryMaxMs &&
      (expect.minFpsDuring === 0 || during >= base / 2);
    const gapLine = end.find((l) => l.startsWith('manifest:')) ?? 'manifest: ?';
    row = `| ${sc.name} | ${base} → ${during} → ${after} pkt/s | ${recoveryMs === null ? 'not back' : `${(recoveryMs / 1000).toFixed(1)} s`} (≤ ${expect.recoveryMaxMs / 1000} s) | ${gapLine.replace(/^manifest: /, '')} | ${verified ? 'verifies' : 'FAILS'} (room: ${roomV.ok ? 'intact' : roomV.line}; archive: ${hubV.ok ? 'intact' : hubV.line}; ${indep.detail}) | ${checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}${c.detail ? ` (${c.detail})` : ''}`).join('; ')} | ${pass ? 'PASS' : 'FAIL'} |`;
  } catch (e) {
    row = `| ${sc.name} | – | – | – | – | error: ${(e as Error).message.split('\n')[0]} | FAIL |`;
    say(`  error: ${(e as Error).stack}`);
  } finally {
    clearInterval(tick);
    await viewer?.close().catch(() => undefined);
    await room.gateway.stop('SIGINT').catch(() => undefined);
    await daemon.stop('SIGINT').catch(() => undefined);
    await sim.stop('SIGINT').catch(() => undefined);
    await hub.stop('SIGINT').catch(() => undefined);
    await tmpfs?.remove().catch(() => undefined);
  }
  say(row);
  appendFileSync(join(out, 'results.md'), `${row}\n`);
}

/** ffprobe on every segment (duration > 0, a video stream) and sha256 of every manifest-named file. */
async function independentCheck(dir: string): Promise<{ ok: boolean; detail: string }> {
  if (!existsSync(join(dir, 'manifest.jsonl'))) return { ok: false, detail: 'no manifest' };
  const entries = readFileSync(join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; file?: string; sha256?: string });
  let bad = 0;
  let probed = 0;
  const named = entries.filter((e) => e.kind === 'segment' || e.kind === 'book');
  for (const e of named) {
    const f = join(dir, e.file!);
    if (!existsSync(f) || createHash('sha256').update(readFileSync(f)).digest('hex') !== e.sha256) bad++;
  }
  const segs = readdirSync(dir).filter((f) => /^seg-\d+\.ts$/.test(f));
  let unplayable = 0;
  for (const s of segs) {
    if (!named.some((e) => e.file === s)) continue;
    probed++;
    const r = await pexec('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_type',
      '-of',
      'json',
      join(dir, s),
    ]).catch(() => undefined);
    const j = r ? (JSON.parse(r.stdout) as { format?: { duration?: string }; streams?: { codec_type: string }[] }) : undefined;
    if (!j || !(Number(j.format?.duration) > 0) || !j.streams?.some((x) => x.codec_type === 'video')) unplayable++;
  }
  return {
    ok: bad === 0 && unplayable === 0 && probed > 0,
    detail: `sha256 ${named.length - bad}/${named.length} match, ffprobe ${probed - unplayable}/${probed} play`,
  };
}

appendFileSync(
  join(out, 'results.md'),
  '| scenario | room pkt/s at the hub: before → during → after | recovery | manifest | verification | checks | result |\n| --- | --- | --- | --- | --- | --- | --- |\n',
);
for (const sc of chosen) {
  try {
    // On a loaded box a process may miss its ready deadline (spawnReady: 60 s): one more try before "not run".
    await runOne(sc).catch((e: Error) => {
      if (!/not ready after/.test(e.message)) throw e;
      say(`  setup: ${e.message.split('\n')[0]} — trying once more`);
      killOurs();
      return runOne(sc);
    });
  } catch (e) {
    // the hearing could not be set up (e.g. a process not ready in time on a loaded box): said, and on to the next
    const row = `| ${sc.name} | – | – | – | – | not run: ${(e as Error).message.split('\n')[0]} | NOT RUN |`;
    say(row);
    appendFileSync(join(out, 'results.md'), `${row}\n`);
    killOurs();
  }
}
say(`results: ${join(out, 'results.md')}`);
process.exit(0);
