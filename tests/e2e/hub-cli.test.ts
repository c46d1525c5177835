import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { enrollRoomAt } from '../../hub/test/enroll-room.js';
import { CLI } from '../helpers/room-processes.js';

// `reception hub` as the demo runs it: a real process announcing itself with one ready line.

describe('reception hub', () => {
  let hub: ReadyChild<{ url: string; rooms: string[] }> | undefined;
  afterAll(() => hub?.stop('SIGINT'));

  it('prints its URL, serves the rooms enrolled at it, the console and /metrics', async () => {
    // Its own state directory: hearings persist, and this test must not see anyone else's.
    const stateDir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
    const env = { ...process.env, RECEPTION_HUB_STATE_DIR: stateDir, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1' }; // as the demo: loopback officers
    hub = await spawnReady(process.execPath, [CLI, 'hub', '--port', '0'], { env });
    expect(hub.ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.ready.rooms).toEqual([]); // no room without enrollment
    const box = mkdtempSync(join(tmpdir(), 'hub-cli-box-'));
    await enrollRoomAt({ hubUrl: hub.ready.url, hubStateDir: stateDir, room: 'room-demo', boxStateDir: box });
    const rooms = (await (await fetch(`${hub.ready.url}/api/v1/rooms`)).json()) as { id: string; online: boolean }[];
    expect(rooms.map((r) => r.id)).toEqual(['room-demo']);
    const page = await fetch(`${hub.ready.url}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Điểm tiếp công dân trung tâm');
    const metrics = await (await fetch(`${hub.ready.url}/metrics`)).text();
    expect(metrics).toContain('reception_hub_hearings{state="active"} 0');
    expect(metrics).toMatch(/^reception_hub_event_loop_delay_seconds\{stat="p99"\} \d+(\.\d+)?$/m);
  });

  it('refuses a bad config file with EX_CONFIG and the field path', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'hub-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ port: 'x' }));
    const refused = () =>
      spawnReady(process.execPath, [CLI, 'hub', '--config', file], { timeoutMs: 10_000 }).then(
        () => '',
        (e: Error) => e.message,
      );
    const err = await refused();
    expect(err).toContain('(78)');
    expect(err).toContain('/port');
    // Rooms with a shared secret are gone: the hub refuses to start and says to enroll them.
    writeFileSync(file, JSON.stringify({ rooms: [{ id: 'room-demo', name: 'P1', secretSha256: 'a'.repeat(64) }] }));
    const rooms = await refused();
    expect(rooms).toContain('(78)');
    expect(rooms).toContain('/rooms');
    expect(rooms).toContain('reception hub enroll-code');
  });
});
