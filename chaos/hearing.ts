// One running hearing for one scenario, as `npm run demo` starts it (hub; room simulators, daemon with its
// media worker, gateway) but across the chaos link (chaos/topology.ts): hub in the hub namespace on
// 0.0.0.0 (https, its internal CA; ICE ports announced with the relay's address), the room in the room
// namespace reaching it at https://RELAY_ADDR through the impairment relay, a WHEP viewer beside the hub.
// The runner talks to each namespace's loopback through socat unix-socket bridges (no network shortcut).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, fetch as undiciFetch } from 'undici';
import type { ReadyChild } from '../common/process/spawn-ready.js';
import { nsProcess, spawnInNs, workerProcess } from './proc.js';
import type { ChaosPaths, ScenarioSetup, ViewerSample } from './scenario.js';
import { HUB_ADDR, RELAY_ADDR, RELAY_UP_ADDR, type Topology } from './topology.js';
import { until } from './until.js';

export const CLI = resolve('dist/provisioning/reception.js');
export const HUB_PORT = 8090;
export const ICE_PORTS: [number, number] = [41000, 41099];
const TSX = ['--import', 'tsx'];
const ROOM = { id: 'room-demo', api: 8080, gateway: 8081, onvif: 8000, control: 8001, rtsp: 8554, videoRtp: 5004, audioRtp: 5006 };

export type Hearing = Awaited<ReturnType<typeof startHearing>>;

/** A fetch into a namespace's loopback port through a unix-socket bridge. */
function bridgeFetch(sock: string, base: string, headers: Record<string, string> = {}) {
  const dispatcher = new Agent({ connect: { socketPath: sock, rejectUnauthorized: false } });
  return (path: string, init: RequestInit = {}): Promise<Response> =>
    undiciFetch(`${base}${path}`, {
      ...init,
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...headers, ...(init.headers ?? {}) },
      dispatcher,
      signal: init.signal ?? AbortSignal.timeout(15_000),
    } as never) as unknown as Promise<Response>;
}

function bridge(ns: string, sock: string, port: number): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, 'socat', `UNIX-LISTEN:${sock},fork,unlink-early`, `TCP:127.0.0.1:${port}`], { stdio: 'ignore' });
}

export type Cleanups = (() => Promise<void> | void)[];

/** Every stop step is pushed to `o.cleanups` as soon as its process exists (a Ctrl-C during start-up runs them). */
export async function startHearing(
  t: Topology,
  dir: string,
  o: { seed: number; setup?: ScenarioSetup; log: (s: string) => void; cleanups?: Cleanups },
) {
  mkdirSync(dir, { recursive: true });
  const cleanups: Cleanups = o.cleanups ?? [];
  const hubState = join(dir, 'hub-state');
  const roomDir = join(dir, 'room');
  mkdirSync(roomDir, { recursive: true });
  const roomConfig = join(roomDir, 'config.json');
  try {
    // ---- the hub ----
    const hubConfig = join(dir, 'hub.json');
    writeFileSync(
      hubConfig,
      JSON.stringify({
        host: '0.0.0.0',
        port: HUB_PORT,
        stateDir: hubState,
        allowLoopbackOfficers: true,
        ice: { hostAddresses: [RELAY_ADDR], portMin: ICE_PORTS[0], portMax: ICE_PORTS[1] },
        tls: { hostnames: [RELAY_ADDR, HUB_ADDR] },
        ...(o.setup?.hub ?? {}),
      }),
    );
    const hubEnv = { ...process.env, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1' };
    const viewerRef: { v?: ReadyChild<{ pid: number }> } = {};
    const hub = await nsProcess<{ url: string }>(
      'hub',
      { ns: t.ns.hub, args: [CLI, 'hub', '--config', hubConfig], logFile: join(dir, 'hub.log'), env: hubEnv },
      () => void viewerRef.v?.child.stdin?.write('reconnect\n'),
    );
    cleanups.push(() => hub.stop());
    const hubSock = join(dir, 'hub.sock');
    const hb = bridge(t.ns.hub, hubSock, HUB_PORT);
    cleanups.push(() => void hb.kill());
    await until(() => existsSync(hubSock), { timeoutMs: 10_000, what: 'hub bridge' });
    const hubApi = bridgeFetch(hubSock, `https://127.0.0.1:${HUB_PORT}`);

    // ---- the relay ----
    const relayCtl = join(dir, 'relay.sock');
    const relay = await spawnInNs<{ pid: number }>({
      ns: t.ns.relay,
      args: [
        ...TSX,
        resolve('chaos/relay/relay-main.ts'),
        JSON.stringify({
          listenHost: RELAY_ADDR,
          upstreamHost: HUB_ADDR,
          upstreamBind: RELAY_UP_ADDR,
          tcpPorts: [HUB_PORT],
          udpPorts: o.setup?.relayUdp === false ? [1, 0] : ICE_PORTS, // [1, 0]: no UDP port at all
          seed: o.seed,
          control: relayCtl,
        }),
      ],
      logFile: join(dir, 'relay.log'),
    });
    cleanups.push(() => relay.stop('SIGTERM', 3000));
    instrument(relay.child.pid);

    // ---- the room ----
    const roomEnv = { ...process.env, ...(o.setup?.roomEnv ?? {}) };
    const sim = await nsProcess<{ control: string }>('sim', {
      ns: t.ns.room,
      args: [
        CLI,
        'sim',
        '--dir',
        join(roomDir, 'sim'),
        '--write-config',
        roomConfig,
        '--room-id',
        ROOM.id,
        '--room-name',
        'Phòng thử lỗi (chaos)',
        '--hub-url',
        `wss://${RELAY_ADDR}:${HUB_PORT}/api/v1/signal`,
        ...['--api-port', String(ROOM.api), '--gateway-port', String(ROOM.gateway), '--onvif-port', String(ROOM.onvif)],
        ...['--control-port', String(ROOM.control), '--rtsp-port', String(ROOM.rtsp), '--discovery-port', 'off'],
        ...['--video-rtp-port', String(ROOM.videoRtp), '--audio-rtp-port', String(ROOM.audioRtp)],
      ],
      logFile: join(roomDir, 'sim.log'),
    });
    cleanups.push(() => sim.stop());
    const cfg = JSON.parse(readFileSync(roomConfig, 'utf8'));
    const roomState = resolve(cfg.paths.state as string);
    const recordings = resolve(cfg.paths.recordings as string);
    if (o.setup?.recordingsTmpfsMb) {
      mkdirSync(recordings, { recursive: true });
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${o.setup.recordingsTmpfsMb}m`, `chz-p-${process.pid}-rec`, recordings]);
      if (m.status !== 0) throw new Error(`tmpfs on ${recordings}: ${m.stderr}`);
      cleanups.push(() => void spawnSync('umount', ['-l', recordings]));
    }
    // enrollment: a one-time code into the hub's state dir, then `reception enroll` from the room's namespace
    const code = run(process.execPath, [CLI, 'hub', 'enroll-code', '--room', ROOM.id, '--ttl', '5', '--state-dir', hubState]);
    run('ip', [
      ...['netns', 'exec', t.ns.room, process.execPath, CLI, 'enroll'],
      ...['--hub', `https://${RELAY_ADDR}:${HUB_PORT}`, '--code', (JSON.parse(code) as { code: string }).code, '--config', roomConfig],
    ]);
    const daemon = await nsProcess<{ url: string }>('daemon', {
      ns: t.ns.room,
      args: [CLI, 'daemon', '--config', roomConfig],
      logFile: join(roomDir, 'daemon.log'),
      env: roomEnv,
    });
    cleanups.push(() => daemon.stop());
    const gateway = await nsProcess<{ url: string }>('gateway', {
      ns: t.ns.room,
      args: [CLI, 'gateway', '--config', roomConfig],
      logFile: join(roomDir, 'gateway.log'),
      env: roomEnv,
    });
    cleanups.push(() => gateway.stop());
    const roomSock = join(dir, 'room-api.sock');
    const simSock = join(dir, 'room-sims.sock');
    const rb = bridge(t.ns.room, roomSock, ROOM.api);
    const sb = bridge(t.ns.room, simSock, ROOM.control);
    cleanups.push(
      () => void rb.kill(),
      () => void sb.kill(),
    );
    await until(() => existsSync(roomSock) && existsSync(simSock), { timeoutMs: 10_000, what: 'room bridges' });
    const worker = workerProcess(daemon.pid, join(roomDir, 'daemon.log'), (f) => until(f, { timeoutMs: 60_000, what: 'media worker' }));

    // ---- the hearing ----
    const created = await hubApi('/api/v1/hearings', {
      method: 'POST',
      body: JSON.stringify({ title: 'Phiên thử lỗi (chaos)', rooms: [ROOM.id] }),
    });
    if (created.status !== 201) throw new Error(`hearing: ${created.status} ${await created.text()}`);
    const hearingId = ((await created.json()) as { id: string }).id;
    o.log(`hearing ${hearingId}`);

    // ---- the viewer ----
    const samples: ViewerSample[] = [];
    const viewer = await spawnInNs<{ pid: number }>({
      ns: t.ns.hub,
      args: [
        ...TSX,
        resolve('chaos/viewer/viewer-main.ts'),
        JSON.stringify({ hubUrl: `https://127.0.0.1:${HUB_PORT}`, hearing: hearingId }),
      ],
      logFile: join(dir, 'viewer.log'),
      stdin: 'pipe', // the hub's restart hook writes `reconnect` here (without a pipe it went nowhere: 25 s back)
    });
    viewerRef.v = viewer;
    instrument(viewer.child.pid);
    cleanups.push(() => viewer.stop('SIGTERM', 3000));
    createInterface({ input: viewer.child.stdout! }).on('line', (l) => {
      if (!l.startsWith('{"frames"')) return;
      const s = JSON.parse(l) as Omit<ViewerSample, 't'>;
      samples.push({
        t: performance.now(),
        frames: s.frames,
        audioPackets: s.audioPackets,
        maxAudioGapMs: s.maxAudioGapMs,
        connected: s.connected,
      });
    });

    const paths: ChaosPaths = { run: dir, room: roomDir, roomConfig, roomState, recordings, hubState, archive: join(hubState, 'archive') };
    return {
      hearingId,
      roomId: ROOM.id,
      paths,
      procs: { hub, daemon, gateway, sim, worker },
      hubApi,
      roomApi: bridgeFetch(roomSock, `http://127.0.0.1:${ROOM.api}`),
      sims: bridgeFetch(simSock, `http://127.0.0.1:${ROOM.control}`),
      relayApi: bridgeFetch(relayCtl, 'http://relay'),
      samples,
      async stop() {
        for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
    throw err;
  }
}

/**
 * The relay is the network and the viewer the measuring instrument: on this shared 2-core box (load
 * averages of 20 seen while other suites ran) they get a higher CPU priority than the product's
 * processes, so what they report is the product's doing, not their own starvation.
 */
function instrument(pid: number | undefined) {
  if (pid) spawnSync('renice', ['-n', '-10', '-p', String(pid)], { stdio: 'ignore' });
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.slice(0, 6).join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}
