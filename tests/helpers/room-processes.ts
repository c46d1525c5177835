import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../../common/http/credentials.js';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { freePort } from './free-port.js';

export const CLI = resolve('dist/provisioning/reception.js');

/** `reception hub enroll-code` into the hub's state dir (or a code the test issued), then `reception enroll` with the room's config. */
function enrollRoom(configFile: string, room: string, hub: EnrollAt, env: NodeJS.ProcessEnv) {
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`reception ${args.slice(0, 2).join(' ')} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const code =
    hub.code ?? (JSON.parse(run(['hub', 'enroll-code', '--room', room, '--state-dir', hub.hubStateDir])) as { code: string }).code;
  run(['enroll', '--hub', hub.hubUrl, '--code', code, '--config', configFile]);
}
/** Where a test room enrolls: the hub's URL and its state dir (a code by CLI), or a code already issued (e.g. by the API). */
export type EnrollAt = { hubUrl: string; hubStateDir: string; code?: string };
/** The technician token every test room's daemon accepts (`Authorization: Bearer …`). */
export const ROOM_TECHNICIAN_TOKEN = 'test-room-technician-token';

interface SimReady {
  onvif: { xaddr: string; rtsp: string | null; discoveryPort: number | null };
  visca: { device: string };
  tesira: { device: string };
  control: string;
}

/** `reception sim` + `reception daemon` as real processes on free loopback ports, as the demo runs them. */
export async function startRoomProcesses(
  opts: {
    picture?: boolean;
    hubUrl?: string;
    roomId?: string;
    /** Enroll the room at this hub first, as a technician does (a code into the hub's state dir, then `reception enroll`). */
    enroll?: EnrollAt;
    kioskPin?: string;
    record?: boolean;
    /** The daemon's loopbackRole. Tests that drive the room from the shell opt in to technician (the default
     * here); 'monitor' is the product's default (the kiosk flow: officer rights only through the PIN). */
    loopbackRole?: 'monitor' | 'technician';
  } = {},
) {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` (npm test does it)`);
  const dir = mkdtempSync(join(tmpdir(), 'room-'));
  const configFile = join(dir, 'config.json');
  const [onvifPort, rtspPort, controlPort, apiPort, discoveryPort, gatewayPort, videoRtpPort, audioRtpPort] = await Promise.all(
    Array.from({ length: 8 }, () => freePort()),
  );
  const sim: ReadyChild<SimReady> = await spawnReady<SimReady>(
    process.execPath,
    [
      CLI,
      'sim',
      '--dir',
      join(dir, 'sim'),
      '--write-config',
      configFile,
      '--api-port',
      String(apiPort),
      '--onvif-port',
      String(onvifPort),
      '--rtsp-port',
      String(rtspPort),
      '--control-port',
      String(controlPort),
      '--discovery-port',
      String(discoveryPort),
      ...(opts.picture === false ? ['--no-picture'] : []),
      '--gateway-port',
      String(gatewayPort),
      '--video-rtp-port',
      String(videoRtpPort),
      '--audio-rtp-port',
      String(audioRtpPort),
      ...(opts.hubUrl ? ['--hub-url', opts.hubUrl] : []),
      ...(opts.roomId ? ['--room-id', opts.roomId] : []),
    ],
    { logFile: join(dir, 'sim.log'), timeoutMs: 30_000 },
  );
  {
    const cfg = JSON.parse(readFileSync(configFile, 'utf8'));
    // A technician token for the test's own checks, and the loopback role the test asked for.
    cfg.access = {
      loopbackRole: opts.loopbackRole ?? 'technician',
      tokens: [{ name: 'test-technician', role: 'technician', sha256: sha256Hex(ROOM_TECHNICIAN_TOKEN) }],
    };
    // Rooms that only take part (the multipoint test): no local recording, uploads or sweeps.
    if (opts.record === false)
      Object.assign(cfg, { recording: { enabled: false }, uploader: { enabled: false }, retention: { enabled: false } });
    writeFileSync(configFile, JSON.stringify(cfg, null, 2), { mode: 0o600 });
  }
  if (opts.kioskPin) {
    const set = spawnSync(process.execPath, [CLI, 'kiosk-pin', '--config', configFile, opts.kioskPin], { encoding: 'utf8' });
    if (set.status !== 0) throw new Error(`kiosk-pin failed: ${set.stderr}`);
  }
  const env = { ...process.env, RECEPTION_STATE_DIR: join(dir, 'state') };
  if (opts.enroll) enrollRoom(configFile, opts.roomId ?? 'room-demo', opts.enroll, env);
  const daemonSpawnedAt = performance.now();
  const daemon = await spawnReady<{ url: string; readyMs: number; rssMb: number }>(
    process.execPath,
    [CLI, 'daemon', '--config', configFile],
    { logFile: join(dir, 'daemon.log'), env },
  ).catch(async (e) => {
    await sim.stop();
    throw e;
  });
  const daemonSpawnToReadyMs = Math.round(performance.now() - daemonSpawnedAt);
  return {
    dir,
    configFile,
    env,
    gatewayPort,
    sim,
    daemon,
    daemonSpawnToReadyMs,
    api: daemon.ready.url,
    async stop() {
      await daemon.stop('SIGINT');
      await sim.stop('SIGINT');
    },
  };
}

export async function json<T = any>(url: string, init?: RequestInit & { body?: string }): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
