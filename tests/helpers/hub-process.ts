import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { freePort } from './free-port.js';
import { CLI, json, startRoomProcesses } from './room-processes.js';
import { issueTicket, stateToken } from '../../common/local-bridge/bridge-ticket.js';
import { loadLocalSecret } from '../../common/local-bridge/local-secret.js';

/**
 * `reception hub` as a process on a free port, with its own state directory and no configured room: rooms
 * join by enrollment (startLinkedRoom). `rooms`: how many the test links (kept for the call sites' sake).
 */
export async function startHubProcess(_rooms: number, opts: { port?: number; stateDir?: string; env?: Record<string, string> } = {}) {
  const port = opts.port ?? (await freePort());
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'hub-'));
  const hub: ReadyChild<{ url: string }> = await spawnReady(process.execPath, [CLI, 'hub', '--port', String(port)], {
    logFile: join(stateDir, 'hub.log'),
    // The e2e tests act as officers from loopback: they opt in (off by default since issue 10), as the demo does.
    env: { ...process.env, RECEPTION_HUB_STATE_DIR: stateDir, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1', ...opts.env },
  });
  return { ...hub, url: hub.ready.url, port, stateDir, signalUrl: `ws://127.0.0.1:${port}/api/v1/signal` };
}

/** A whole simulated room (hardware sims, daemon + media worker, gateway) enrolled at a hub (startHubProcess) and linked to it. */
export async function startLinkedRoom(
  hub: { signalUrl: string; url: string; stateDir: string },
  index: number,
  opts: { picture: boolean; kioskPin?: string; record?: boolean; loopbackRole?: 'monitor' | 'technician'; enrollCode?: string },
) {
  const roomId = index === 1 ? 'room-demo' : `room-${index}`;
  const room = await startRoomProcesses({
    picture: opts.picture,
    hubUrl: hub.signalUrl,
    roomId,
    // its credential: a one-time code, as a technician enrolls a box (the CLI into the hub's state dir, or a code from the API)
    enroll: { hubUrl: hub.url, hubStateDir: hub.stateDir, code: opts.enrollCode },
    kioskPin: opts.kioskPin,
    record: opts.record,
    loopbackRole: opts.loopbackRole,
  });
  const spawnGateway = () =>
    spawnReady<{ url: string; kiosk: string }>(process.execPath, [CLI, 'gateway', '--config', room.configFile], {
      logFile: join(room.dir, 'gateway.log'),
      env: room.env,
    });
  let gateway = await spawnGateway().catch(async (e) => {
    await room.stop();
    throw e;
  });
  return {
    ...room,
    id: roomId,
    get gateway() {
      return gateway;
    },
    /** The gateway's plain kiosk test page with a fresh ticket, as the daemon would issue it (one connection per ticket). */
    kioskTestUrl: async () => `${gateway.ready.kiosk}#ticket=${issueTicket(await loadLocalSecret(room.env.RECEPTION_STATE_DIR)).ticket}`,
    /** The gateway's /state, read as the daemon does (the local bridge secret in the room's state dir). */
    gatewayState: async () =>
      (
        await json(`${gateway.ready.url}/state`, {
          headers: { authorization: `Bearer ${stateToken(await loadLocalSecret(room.env.RECEPTION_STATE_DIR))}` },
        })
      ).body,
    /** Kills the gateway process (as a crash would), without starting it again. */
    killGateway: () => gateway.stop('SIGKILL'),
    /** Starts the gateway again on the same config (same port). */
    async restartGateway() {
      gateway = await spawnGateway();
    },
    async stop() {
      await gateway.stop('SIGINT');
      await room.stop();
    },
  };
}
