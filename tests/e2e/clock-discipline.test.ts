import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, publicKeyRawFromPem } from '../../common/evidence/index.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { CLI, json } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// Clock discipline with real processes: an enrolled room's daemon measures its clock against the hub's
// on its fleet reports (GET /api/v1/health `clock`), the hub lists it and exports it, and a hearing recorded
// there carries the offset in its manifest's open and close entries — verified by `reception verify` at
// the room and in the hub's archive view. Both run on this box's clock: the offset must be within the
// measurement's own error (± rtt/2; a little more for the ms rounding).

const exec = promisify(execFile);
type Reading = { offsetMs: number; rttMs: number; source: string; alarm: boolean; measuredAt: string };
const withinError = (c: Reading) => Math.abs(c.offsetMs) <= c.rttMs / 2 + 2;

describe('e2e: the room clock against the hub, into the manifest', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startLinkedRoom>>;
  beforeAll(async () => {
    hub = await startHubProcess(1);
    room = await startLinkedRoom(hub, 1, { picture: true });
  });
  afterAll(async () => {
    await room?.stop();
    await hub?.stop();
  });

  it('measured by the daemon, shown in its /health, at the hub and in /metrics', { timeout: 150_000 }, async () => {
    const clock = await until(
      'clock in the room /health',
      60_000,
      async () => (await json(`${room.api}/api/v1/health`)).body.clock as Reading | null,
    );
    expect(clock).toMatchObject({ source: 'hub', alarm: false });
    expect(withinError(clock), JSON.stringify(clock)).toBe(true);
    const atHub = await until(
      'clock at the hub',
      60_000,
      async () =>
        ((await json(`${hub.url}/api/v1/rooms`)).body as { id: string; health: { clock?: Reading } | null }[]).find(
          (r) => r.id === 'room-demo',
        )?.health?.clock,
    );
    expect(atHub.source).toBe('hub');
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/^reception_room_clock_offset_seconds\{room="room-demo"\} -?\d/m);
  });

  it('a hearing records it in the open and close entries; the room and the archive verify it', async () => {
    const hearing = (
      await json(`${hub.url}/api/v1/hearings`, {
        method: 'POST',
        body: JSON.stringify({ title: 'Phiên thử đồng hồ', rooms: ['room-demo'] }),
      })
    ).body.id as string;
    const id = `${hearing}.room-demo`;
    await until('2 segments recorded', 90_000, async () => (await json(`${room.api}/api/v1/recording`)).body.segments >= 2);
    expect((await json(`${hub.url}/api/v1/hearings/${hearing}/end`, { method: 'POST', body: '{}' })).status).toBe(200);
    await until('recording closed', 60_000, async () => (await json(`${room.api}/api/v1/recording`)).body.state === 'idle');
    await until('everything forwarded', 120_000, async () => (await json(`${room.api}/api/v1/health`)).body.uploader.backlogFiles === 0);

    const dir = join(room.dir, 'sim', 'recordings', id);
    const entries = parseManifest(readFileSync(join(dir, 'manifest.jsonl'), 'utf8')).entries;
    const open = entries[0];
    const close = entries.at(-1);
    expect(open?.kind === 'open' && open.clock, 'clock in open').toMatchObject({ source: 'hub' });
    expect(close?.kind === 'close' && close.clock, 'clock in close').toMatchObject({ source: 'hub' });

    const key = publicKeyRawFromPem(readFileSync(join(room.env.RECEPTION_STATE_DIR, 'keys', 'appliance-ed25519.pem'), 'utf8')).toString(
      'base64',
    );
    const local = await exec(process.execPath, [CLI, 'verify', dir, '--key', key, '--json'], { timeout: 60_000 });
    const report = JSON.parse(local.stdout) as { ok: boolean; clocks: (Reading & { kind: string })[] };
    expect(report.ok).toBe(true);
    expect(report.clocks.map((c) => c.kind)).toEqual(['open', 'close']);
    const archived = (await json(`${hub.url}/api/v1/archive/hearings/${encodeURIComponent(id)}`)).body as {
      state: string;
      clocks: Reading[];
    };
    expect(archived.state).toBe('verified');
    expect(archived.clocks).toHaveLength(2);
    console.info(`clock in the manifest: ${report.clocks.map((c) => `${c.kind} ${c.offsetMs} ± ${c.rttMs / 2} ms`).join(', ')}`);
  }, 300_000);
});
