// Poor links (issue 12 item 2): a real hearing through a rate-capped link, what a viewer at the hub sees.
//
//   room ns chz-r-<pid>-room [10.78.1.2]  ──veth (tbf on the room's end)──  [10.78.1.1] chz-r-<pid>-hub
//   rtsp-picture camera, daemon + media worker, gateway                        hub (0.0.0.0), WHEP viewer
//
// `npx tsx bench/poor-link.ts [--caps 1000,512] [--seconds 40]` (root; build dist/ first). For each cap: the
// link uncapped until the viewer has frames, then `tc tbf` at the cap for --seconds; per second the viewer
// (chaos/viewer/viewer-main.ts: frames a decoder could show, longest audio gap) — the first 10 s of each cap
// are the settling window and reported apart. Prints one JSON object. Namespaces removed on exit.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnReady } from '../common/process/spawn-ready.js';
import { enrollRoomAt } from '../hub/test/enroll-room.js';
import { createRtspPicture } from '../simulators/rtsp-picture/index.js';
import { freePort } from '../tests/helpers/free-port.js';
import {
  benchDir,
  CLI,
  demoRoom,
  percentile,
  requireBuild,
  sleep,
  startDaemon,
  startGateway,
  stopAll,
  writeRoomConfig,
} from './lib/room.js';

const ROOM_ADDR = '10.78.1.2';
const HUB_ADDR = '10.78.1.1';
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const caps = arg('caps', '1000,512').split(',').map(Number);
const seconds = Number(arg('seconds', '40'));
const SETTLE_S = 10;

const names = (pid: number) => ({ room: `chz-r-${pid}-room`, hub: `chz-r-${pid}-hub`, a: `cr${pid}a`, b: `cr${pid}b` });

if (!process.env.CHZ_R_NS) {
  // Parent: make the namespaces, run this script in the room namespace, remove them whatever happens.
  const n = names(process.pid);
  const ip = (...a: string[]) => execFileSync('ip', a, { stdio: ['ignore', 'ignore', 'inherit'] });
  const cleanup = () => {
    spawnSync('ip', ['netns', 'del', n.room], { stdio: 'ignore' });
    spawnSync('ip', ['netns', 'del', n.hub], { stdio: 'ignore' });
  };
  cleanup();
  try {
    ip('netns', 'add', n.room);
    ip('netns', 'add', n.hub);
    ip('-n', n.room, 'link', 'set', 'lo', 'up');
    ip('-n', n.hub, 'link', 'set', 'lo', 'up');
    ip('-n', n.room, 'link', 'add', n.a, 'type', 'veth', 'peer', 'name', n.b);
    ip('-n', n.room, 'link', 'set', n.b, 'netns', n.hub);
    ip('-n', n.room, 'addr', 'add', `${ROOM_ADDR}/24`, 'dev', n.a);
    ip('-n', n.hub, 'addr', 'add', `${HUB_ADDR}/24`, 'dev', n.b);
    ip('-n', n.room, 'link', 'set', n.a, 'up');
    ip('-n', n.hub, 'link', 'set', n.b, 'up');
    const r = spawnSync('ip', ['netns', 'exec', n.room, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, CHZ_R_NS: JSON.stringify(n) },
    });
    process.exitCode = r.status ?? 1;
  } finally {
    cleanup();
  }
} else {
  await main(JSON.parse(process.env.CHZ_R_NS) as ReturnType<typeof names>);
}

function setCap(n: ReturnType<typeof names>, kbit: number | null) {
  if (kbit === null) return void spawnSync('tc', ['qdisc', 'del', 'dev', n.a, 'root'], { stdio: 'ignore' });
  const burst = Math.max(4096, Math.round((kbit * 1000) / 8 / 25));
  execFileSync('tc', ['qdisc', 'replace', 'dev', n.a, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', String(burst), 'latency', '300ms']);
}

interface Sample {
  t: number;
  frames: number;
  audioPackets: number;
  maxAudioGapMs: number;
  connected: boolean;
}

async function main(n: ReturnType<typeof names>) {
  requireBuild();
  const dir = benchDir('poor-link');
  process.stderr.write(`poor-link: logs in ${dir}\n`);
  const cam = createRtspPicture({ port: await freePort(), path: 'stream', name: 'POOR-LINK' });
  await cam.start();
  const hubPort = await freePort();
  const hubStateDir = join(dir, 'hub-state');
  const hub = await spawnReady<{ url: string }>('ip', ['netns', 'exec', n.hub, process.execPath, CLI, 'hub', '--port', String(hubPort)], {
    logFile: join(dir, 'hub.log'),
    env: {
      ...process.env,
      RECEPTION_HUB_STATE_DIR: hubStateDir,
      RECEPTION_HUB_HOST: '0.0.0.0',
      RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1',
    },
    timeoutMs: 30_000,
  });
  const hubUrl = `https://${HUB_ADDR}:${hubPort}`;
  const children: { stop(s?: NodeJS.Signals, ms?: number): Promise<unknown> }[] = [hub];
  let viewer: ChildProcess | undefined;
  try {
    await enrollRoomAt({ hubUrl, hubStateDir, room: demoRoom(1).id, boxStateDir: demoRoom(1).stateDir(dir) });
    const room = await writeRoomConfig(dir, { room: 1, hubSignal: `wss://${HUB_ADDR}:${hubPort}/api/v1/signal`, rtspUri: cam.rtspUri });
    const daemon = await startDaemon(dir, room);
    children.push(daemon);
    const gateway = await startGateway(dir, room);
    children.push(gateway);
    // The hearing, created by a loopback officer inside the hub namespace.
    const out = execFileSync(
      'ip',
      [
        'netns',
        'exec',
        n.hub,
        'curl',
        '-sk',
        '-X',
        'POST',
        '-H',
        'content-type: application/json',
        '--data',
        JSON.stringify({ title: 'poor link', rooms: [demoRoom(1).id] }),
        `https://127.0.0.1:${hubPort}/api/v1/hearings`,
      ],
      { encoding: 'utf8' },
    );
    const hearing = (JSON.parse(out) as { id: string }).id;
    const samples: Sample[] = [];
    viewer = spawn(
      'ip',
      [
        'netns',
        'exec',
        n.hub,
        process.execPath,
        '--import',
        'tsx',
        resolve('chaos/viewer/viewer-main.ts'),
        JSON.stringify({ hubUrl: `https://127.0.0.1:${hubPort}`, hearing }),
      ],
      { stdio: ['pipe', 'pipe', openSync(join(dir, 'viewer.log'), 'a')] },
    );
    createInterface({ input: viewer.stdout! }).on('line', (l) => {
      const s = JSON.parse(l) as Partial<Sample> & { ready?: boolean };
      if (!s.ready) samples.push({ ...(s as Sample), t: performance.now() });
    });
    const waitFps = async (what: string, fps: number, ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const last = samples.slice(-3);
        if (last.length === 3 && last.every((s) => s.frames >= fps)) return;
        await sleep(500);
      }
      throw new Error(`${what}: viewer not at ${fps} fps within ${ms} ms (last: ${JSON.stringify(samples.slice(-3))})`);
    };
    await waitFps('uncapped start', 20, 90_000);
    const result: Record<string, unknown> = {};
    const window = (from: number) => samples.filter((s) => s.t > from);
    const sum = (xs: Sample[]) => ({
      seconds: xs.length,
      fpsMedian: percentile(
        xs.map((s) => s.frames),
        50,
      ),
      fpsP10: percentile(
        xs.map((s) => s.frames),
        10,
      ),
      secondsUnder15: xs.filter((s) => s.frames < 15).length,
      secondsUnder8: xs.filter((s) => s.frames < 8).length,
      audioGapMaxMs: Math.max(0, ...xs.map((s) => s.maxAudioGapMs)),
      secondsAudioGapOver200: xs.filter((s) => s.maxAudioGapMs > 200).length,
      audioPacketsPerSecondMin: Math.min(...xs.map((s) => s.audioPackets)),
    });
    const uncapped0 = performance.now();
    await sleep(10_000);
    result.uncapped = sum(window(uncapped0));
    for (const kbit of caps) {
      setCap(n, kbit);
      const t0 = performance.now();
      await sleep(SETTLE_S * 1000);
      const t1 = performance.now();
      await sleep(seconds * 1000);
      const all = window(t0);
      result[`${kbit}kbit`] = {
        settle: sum(all.filter((s) => s.t <= t1 + 1)),
        steady: sum(all.filter((s) => s.t > t1 + 1)),
        perSecondFrames: all.map((s) => s.frames),
        perSecondAudioGapMs: all.map((s) => s.maxAudioGapMs),
      };
    }
    setCap(n, null);
    const back = performance.now();
    await waitFps('back uncapped', 20, 60_000).catch((e: Error) => (result.recoveryError = e.message));
    result.recoveryS = Math.round((performance.now() - back) / 100) / 10;
    result.dir = dir;
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  } finally {
    viewer?.kill('SIGTERM');
    await stopAll(children.reverse() as never);
    await cam.stop();
  }
}
