// Bench helpers: the room's and the hub's real processes from dist/ (`reception hub|daemon|gateway`),
// a room config file for them, the hub's counters, and a small stats toolbox.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { stateToken } from '../../common/local-bridge/bridge-ticket.js';
import { loadLocalSecret } from '../../common/local-bridge/local-secret.js';
import { enrollRoomAt } from '../../hub/test/enroll-room.js';

export const CLI = resolve('dist/provisioning/reception.js');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npx tsc -p tsconfig.json\` first`);
}

export const benchDir = (prefix: string) => mkdtempSync(join(tmpdir(), `${prefix}-`));

/** Room n ≥ 1 of a bench hub: its id and its box's state dir (paths.state; enrollment.json and the appliance key are there). */
export const demoRoom = (n: number) => ({
  id: n === 1 ? 'room-demo' : `room-${n}`,
  stateDir: (dir: string) => join(dir, `room-${n}`, 'state'),
});

export async function startHub(dir: string, rooms: number, env: NodeJS.ProcessEnv = process.env) {
  const port = await freePort();
  const stateDir = join(dir, 'hub-state');
  env = { ...env, RECEPTION_HUB_STATE_DIR: stateDir }; // a hub that persists hearings must not see another run's
  env.RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS = '1'; // the benchmarks act as officers from loopback (opt-in, as the demo)
  // BENCH_HUB_CPU_PROF=DIR: V8 CPU profile of the hub, written to DIR when it stops (open in Chrome DevTools).
  const prof = process.env.BENCH_HUB_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_CPU_PROF}`] : [];
  const hub = await spawnReady<{ url: string }>(process.execPath, [...prof, CLI, 'hub', '--port', String(port)], {
    logFile: join(dir, 'hub.log'),
    env,
    timeoutMs: 30_000,
  });
  // Rooms 1..n enroll as a box does (one-time code, `reception enroll`'s exchange); their tokens, in order.
  const tokens: string[] = [];
  for (let n = 1; n <= rooms; n++)
    tokens.push(
      (await enrollRoomAt({ hubUrl: hub.ready.url, hubStateDir: stateDir, room: demoRoom(n).id, boxStateDir: demoRoom(n).stateDir(dir) }))
        .token,
    );
  return { ...hub, url: hub.ready.url, tokens, signal: hub.ready.url.replace(/^http/, 'ws') + '/api/v1/signal' };
}

export interface RoomFiles {
  configFile: string;
  apiPort: number;
  gatewayPort: number;
  videoRtpPort: number;
  audioRtpPort: number;
  /** paths.state: the local bridge secret is there. */
  stateDir: string;
}

/** The embedded default room config (sim camera + DSP), pointed at free ports, a hub and an RTSP URI. */
export async function writeRoomConfig(
  dir: string,
  o: { room: number; hubSignal: string; rtspUri?: string; name?: string },
): Promise<RoomFiles> {
  const base = join(dir, `room-${o.room}.default.json`);
  execFileSync(process.execPath, [CLI, 'config', 'init', base], { stdio: 'ignore' });
  const cfg = JSON.parse(readFileSync(base, 'utf8'));
  const [apiPort, gatewayPort] = [await freePort(), await freePort()];
  const videoRtpPort = await freeUdpPortPair();
  const { id } = demoRoom(o.room); // enrolled by startHub: its enrollment.json is in paths.state
  cfg.room = { id, name: o.name ?? `Bench room ${o.room}` };
  cfg.api.port = apiPort;
  cfg.paths = { state: demoRoom(o.room).stateDir(dir), recordings: join(dir, `room-${o.room}`, 'recordings') };
  cfg.media = { ...cfg.media, videoRtpPort, audioRtpPort: videoRtpPort + 2, ...(o.rtspUri ? { rtspUri: o.rtspUri } : {}) };
  cfg.gateway = { ...cfg.gateway, hubUrl: o.hubSignal, port: gatewayPort };
  const configFile = join(dir, `room-${o.room}.json`);
  writeFileSync(configFile, JSON.stringify(cfg, null, 2));
  return { configFile, apiPort, gatewayPort, videoRtpPort, audioRtpPort: videoRtpPort + 2, stateDir: cfg.paths.state as string };
}

/** A UDP port p with p+2 also free (video, audio), picked from the TCP-free ones. */
async function freeUdpPortPair(): Promise<number> {
  const { createSocket } = await import('node:dgram');
  for (;;) {
    const p = 20000 + Math.floor(Math.random() * 20000) * 2;
    const ok = await Promise.all(
      [p, p + 2].map(
        (port) =>
          new Promise<boolean>((r) => {
            const s = createSocket('udp4');
            s.once('error', () => r(false));
            s.bind(port, '127.0.0.1', () => s.close(() => r(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return p;
  }
}

export const startDaemon = (dir: string, room: RoomFiles, tag = 'daemon') =>
  spawnReady<{ url: string }>(process.execPath, [CLI, 'daemon', '--config', room.configFile], {
    logFile: join(dir, `${tag}.log`),
    timeoutMs: 30_000,
  });

export const startGateway = (dir: string, room: RoomFiles, tag = 'gateway') =>
  spawnReady<{ url: string }>(process.execPath, [CLI, 'gateway', '--config', room.configFile], {
    logFile: join(dir, `${tag}.log`),
    timeoutMs: 30_000,
  });

/** Headers that read the gateway's /state, as the daemon does (the room's local bridge secret). */
export const gatewayStateHeaders = async (room: RoomFiles) => ({
  authorization: `Bearer ${stateToken(await loadLocalSecret(room.stateDir))}`,
});

export async function stopAll(children: (ReadyChild<unknown> | undefined)[]): Promise<void> {
  await Promise.all(children.map((c) => c?.stop('SIGTERM', 3000).catch(() => undefined)));
}

/** Hub /metrics as {name{labels}: value}. */
export async function hubMetrics(hubUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${hubUrl}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Sum of the metric rows whose key starts with `name` and contains every `filter` substring. */
export function sumMetric(m: Map<string, number>, name: string, ...filter: string[]): number {
  let s = 0;
  for (const [k, v] of m) if ((k === name || k.startsWith(name + '{')) && filter.every((f) => k.includes(f))) s += v;
  return s;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export const round = (x: number, d = 1) => Number(x.toFixed(d));

/** Load average and how busy the whole machine was over `ms` (all cores, 100 % = one core). */
export function machineBusy(): () => { busyPercentOfOneCore: number } {
  const read = () => {
    const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3]! + f[4]!;
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  const a = read();
  const cores = cpus().length;
  return () => {
    const b = read();
    return { busyPercentOfOneCore: round((1 - (b.idle - a.idle) / (b.total - a.total)) * 100 * cores) };
  };
}

/** Direct children of `pid` (from /proc), e.g. the python RTSP server started in this process. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      if (Number(stat[1]) === pid) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

export function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** UDP counters of this network namespace (/proc/net/snmp): receive-buffer overflows mean drops. */
export function udpCounters(): { inDatagrams: number; rcvbufErrors: number; inErrors: number } {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const keys = lines[0]!.split(/\s+/).slice(1);
  const vals = lines[1]!.split(/\s+/).slice(1).map(Number);
  const get = (k: string) => vals[keys.indexOf(k)] ?? 0;
  return { inDatagrams: get('InDatagrams'), rcvbufErrors: get('RcvbufErrors'), inErrors: get('InErrors') };
}

/**
 * Per-thread CPU of a process (the profile of a GStreamer worker: its streaming threads are named after
 * their element, e.g. "videotestsrc0:s"): call once, call the result after the window → % of one core by thread name.
 */
export function threadProfile(pid: number): () => Record<string, number> {
  const read = () => {
    const m = new Map<string, { name: string; ticks: number }>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        m.set(tid, { name, ticks: Number(f[11]) + Number(f[12]) }); // utime, stime
      } catch {
        // the thread ended in between
      }
    }
    return m;
  };
  const before = read();
  const t0 = performance.now();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const by: Record<string, number> = {};
    for (const [tid, t] of read()) by[t.name] = (by[t.name] ?? 0) + t.ticks - (before.get(tid)?.ticks ?? 0);
    return Object.fromEntries(
      Object.entries(by)
        .filter(([, ticks]) => ticks > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, ticks]) => [name, round(ticks / wall, 1)]), // 100 ticks/s (USER_HZ) = 100 % of a core
    );
  };
}
