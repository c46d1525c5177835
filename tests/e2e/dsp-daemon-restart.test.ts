import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { CLI, json, startRoomProcesses } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// Issue 11's "done when", with real processes: `reception sim` holds the Tesira simulator (its TTP
// session outlives the serial port, like the real unit), `reception daemon` is stopped and started
// again while the DSP stays up. Before the fix the new daemon's meter subscribe got -ERR
// ALREADY_SUBSCRIBED inside the connection probe and audio control never came back.

describe('e2e: daemon restart while the Tesira stays up', () => {
  let room: Awaited<ReturnType<typeof startRoomProcesses>>;
  let again: ReadyChild<{ url: string }> | undefined;
  beforeAll(async () => {
    room = await startRoomProcesses({ picture: false, record: false });
  }, 120_000);
  afterAll(async () => {
    await again?.stop('SIGINT');
    await room?.stop();
  });

  const audioOnline = async (api: string) => {
    const h = (await json(`${api}/api/v1/health`)).body as { devices: { id: string; health: { state: string; lastError?: string } }[] };
    return h.devices.find((d) => d.id === 'audio')?.health;
  };
  const mute = (api: string, muted: boolean) =>
    json(`${api}/api/v1/audio/channels/mic/mute`, { method: 'POST', body: JSON.stringify({ muted }) }).then((r) => r.status);

  it('audio control is back within 2 s of the new daemon being ready', async () => {
    await until('audio online with meters', 20_000, async () => {
      const h = await audioOnline(room.api);
      return h?.state === 'online' && !h.lastError;
    });
    expect(await mute(room.api, true)).toBe(200);

    await room.daemon.stop('SIGINT');
    const spawnedAt = performance.now();
    again = await spawnReady<{ url: string }>(process.execPath, [CLI, 'daemon', '--config', room.configFile], {
      logFile: join(room.dir, 'daemon-2.log'),
      env: room.env,
    });
    const readyAt = performance.now();
    await until('mute answered by the new daemon', 15_000, async () => (await mute(again!.ready.url, false)) === 200, 20);
    const controlMs = Math.round(performance.now() - readyAt);
    await until('meters subscribed (no meter error)', 15_000, async () => {
      const h = await audioOnline(again!.ready.url);
      return h?.state === 'online' && !h.lastError;
    });
    const metersMs = Math.round(performance.now() - readyAt);
    console.info(
      `[figure] daemon restart, DSP up: audio control ${controlMs} ms after ready (spawn→ready ${Math.round(readyAt - spawnedAt)} ms), meters healthy ${metersMs} ms`,
    );
    expect(controlMs).toBeLessThan(2000);
    const channels = (await json(`${again.ready.url}/api/v1/audio/channels`)).body as { id: string; muted: boolean }[];
    expect(channels.find((c) => c.id === 'mic')?.muted).toBe(false);
  });
});
