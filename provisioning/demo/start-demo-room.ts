import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { spawnSync } from 'node:child_process';
import { DEMO_KIOSK_PIN, roomIdentity, roomPorts } from './demo-ports.js';
import { enrollDemoRoom } from './enroll-demo-room.js';

export interface DemoRoom {
  index: number;
  id: string;
  api: string;
  kiosk: string;
  pin: string;
  rtsp: string | null;
  control: string;
  processes: ReadyChild<Record<string, unknown>>[];
}

/** One simulated room as the box runs it: hardware simulators, the daemon (+ media worker), the gateway. */
/** `hub.stateDir`: the demo hub's state directory (its enrollment codes are issued there, as a technician would with `reception hub enroll-code`). */
export async function startDemoRoom(
  cli: string,
  dir: string,
  index: number,
  hub: { port: number; stateDir: string },
  picture: boolean,
): Promise<DemoRoom> {
  const hubPort = hub.port;
  const ports = roomPorts(index);
  const who = roomIdentity(index);
  const roomDir = join(dir, who.id);
  mkdirSync(roomDir, { recursive: true });
  const configFile = join(roomDir, 'config.json');
  const node = process.execPath;
  const started: ReadyChild<Record<string, unknown>>[] = [];
  try {
    const sim = await spawnReady<{ onvif: { rtsp: string | null }; control: string }>(
      node,
      [
        cli,
        'sim',
        '--dir',
        join(roomDir, 'sim'),
        '--write-config',
        configFile,
        '--room-id',
        who.id,
        '--room-name',
        who.name,
        '--hub-url',
        `ws://127.0.0.1:${hubPort}/api/v1/signal`,
        '--api-port',
        String(ports.api),
        '--gateway-port',
        String(ports.gateway),
        '--onvif-port',
        String(ports.onvif),
        '--control-port',
        String(ports.control),
        '--rtsp-port',
        String(ports.rtsp),
        '--discovery-port',
        ports.discovery === null ? 'off' : String(ports.discovery),
        '--video-rtp-port',
        String(ports.videoRtp),
        '--audio-rtp-port',
        String(ports.audioRtp),
        ...(picture ? [] : ['--no-picture']),
      ],
      { logFile: join(roomDir, 'sim.log'), timeoutMs: 30_000 },
    );
    started.push(sim as ReadyChild<Record<string, unknown>>);
    const pin = spawnSync(node, [cli, 'kiosk-pin', '--config', configFile, DEMO_KIOSK_PIN], { encoding: 'utf8' });
    if (pin.status !== 0) throw new Error(`setting the kiosk PIN failed: ${pin.stderr || pin.stdout}`);
    enrollDemoRoom(cli, {
      room: who.id,
      name: who.name,
      configFile,
      hubUrl: `http://127.0.0.1:${hubPort}`,
      hubStateDir: hub.stateDir,
      roomStateDir: join(roomDir, 'sim', 'state'),
    });
    const daemon = await spawnReady<{ url: string }>(node, [cli, 'daemon', '--config', configFile], {
      logFile: join(roomDir, 'daemon.log'),
    });
    started.push(daemon as ReadyChild<Record<string, unknown>>);
    const gateway = await spawnReady<{ url: string; kiosk: string }>(node, [cli, 'gateway', '--config', configFile], {
      logFile: join(roomDir, 'gateway.log'),
    });
    started.push(gateway as ReadyChild<Record<string, unknown>>);
    return {
      index,
      id: who.id,
      api: daemon.ready.url,
      kiosk: `${daemon.ready.url}/kiosk/`,
      pin: DEMO_KIOSK_PIN,
      rtsp: sim.ready.onvif.rtsp,
      control: sim.ready.control,
      processes: started,
    };
  } catch (err) {
    await Promise.all(started.map((p) => p.stop('SIGINT')));
    throw err;
  }
}
