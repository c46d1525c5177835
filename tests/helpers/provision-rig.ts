import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { freePort } from './free-port.js';
import { CLI } from './room-processes.js';

// What the commissioning e2e tests share: the simulated hardware of a box (ONVIF camera with WS-Discovery,
// VISCA camera and Tesira on serial ptys), free ports for the box's own listeners as the answers file's
// `config`, a one-time code issued into a hub's state dir (the hub may be down), and a provision run.

export type ProvisionSim = ReadyChild<{ onvif: { discoveryPort: number }; tesira: { device: string }; visca: { device: string } }>;
export type ProvisionOut = { stdout: string; stderr: string; code: number };

export async function startProvisionRig(dir: string) {
  const [onvif, rtsp, discovery, control, api, gateway, video, audio, remote] = await Promise.all(
    Array.from({ length: 9 }, () => freePort()),
  );
  const sim: ProvisionSim = await spawnReady(
    process.execPath,
    [
      CLI,
      'sim',
      '--dir',
      join(dir, 'sim'),
      '--onvif-port',
      `${onvif}`,
      '--rtsp-port',
      `${rtsp}`,
      '--discovery-port',
      `${discovery}`,
      '--control-port',
      `${control}`,
    ],
    { logFile: join(dir, 'sim.log'), timeoutMs: 30_000 },
  );
  return {
    sim,
    apiPort: api,
    discoveryTarget: `127.0.0.1:${discovery}`,
    /** The answers' `config`: free ports for this box's listeners; state and recordings in the test's directory. */
    config: {
      paths: { state: join(dir, 'state'), recordings: join(dir, 'recordings') },
      api: { port: api },
      gateway: { port: gateway },
      media: { videoRtpPort: video, audioRtpPort: audio, remoteAudioRtpPort: remote },
    },
  };
}

/** `reception hub enroll-code` into a hub's state dir: the one-time code a technician is given. */
export function issueCode(hubStateDir: string, room: string): string {
  const issued = spawnSync(process.execPath, [CLI, 'hub', 'enroll-code', '--room', room, '--state-dir', hubStateDir], { encoding: 'utf8' });
  return (JSON.parse(issued.stdout) as { code: string }).code;
}

/** `reception provision --answers <dir>/answers.json --no-install [extra…]`: its exit code and output (a failing run is a result). */
export function provision(dir: string, timeoutMs = 300_000, extra: string[] = []): Promise<ProvisionOut> {
  return promisify(execFile)(
    process.execPath,
    [CLI, 'provision', '--config', join(dir, 'config.json'), '--answers', join(dir, 'answers.json'), '--no-install', ...extra],
    { timeout: timeoutMs },
  ).then(
    (r) => ({ ...r, code: 0 }),
    (e: ProvisionOut) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );
}
