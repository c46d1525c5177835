import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnReady } from '../../common/process/spawn-ready.js';
import { freePort } from '../helpers/free-port.js';
import { CLI } from '../helpers/room-processes.js';
import { stateToken } from '../../common/local-bridge/bridge-ticket.js';
import { loadLocalSecret } from '../../common/local-bridge/local-secret.js';

describe('reception gateway (CLI)', () => {
  it('prints its ready line with the kiosk URL, serves /state, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-'));
    const [port, video, audio, deadHub] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        media: { videoRtpPort: video, audioRtpPort: audio },
        gateway: { port, hubUrl: `ws://127.0.0.1:${deadHub}/api/v1/signal` },
      }),
    );
    const gw = await spawnReady<{ url: string; kiosk: string }>(process.execPath, [CLI, 'gateway', '--config', file], {
      logFile: join(dir, 'gateway.log'),
      env: { ...process.env, RECEPTION_STATE_DIR: join(dir, 'state') },
    });
    expect(gw.ready).toEqual({ ready: true, url: `http://127.0.0.1:${port}`, kiosk: `http://127.0.0.1:${port}/kiosk/test` });
    expect((await fetch(`${gw.ready.url}/state`)).status).toBe(401); // only the daemon reads it
    // The gateway created the room's local secret (0600) in its state dir; the daemon derives the token from it.
    expect(statSync(join(dir, 'state', 'local-bridge.key')).mode & 0o777).toBe(0o600);
    const token = stateToken(await loadLocalSecret(join(dir, 'state')));
    const state = await (await fetch(`${gw.ready.url}/state`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(['connecting', 'reconnecting']).toContain(state.state); // no hub there: it keeps trying
    expect((await fetch(gw.ready.kiosk)).status).toBe(200);
    await gw.stop('SIGTERM');
    expect(gw.child.exitCode).toBe(0);
  });

  it('--wait-for-config: starts once the config file appears (pm2 starts the simulator alongside)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-'));
    const [port, video, audio, deadHub] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const file = join(dir, 'config.json');
    const started = Date.now();
    setTimeout(
      () =>
        writeFileSync(
          file,
          JSON.stringify({
            media: { videoRtpPort: video, audioRtpPort: audio },
            gateway: { port, hubUrl: `ws://127.0.0.1:${deadHub}/api/v1/signal` },
          }),
        ),
      1500,
    );
    const gw = await spawnReady<{ url: string }>(process.execPath, [CLI, 'gateway', '--config', file, '--wait-for-config', '30'], {
      logFile: join(dir, 'gateway.log'),
      env: { ...process.env, RECEPTION_STATE_DIR: join(dir, 'state') },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(gw.ready.url).toBe(`http://127.0.0.1:${port}`);
    await gw.stop('SIGTERM');
  });
});
