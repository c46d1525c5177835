import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoomReport } from '../../common/contracts/fleet.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms, testHubDeps } from '../test/hub-fixture.js';

// GET /api/v1/fleet/rooms/:room/history through the real hub (inject, injected clock): rooms' reports
// become minutes, who may read it (401/403), a bad query (400 naming it), an unknown room (404), and a
// hub restarted on the same stateDir still has the history.

const T0 = Date.parse('2026-03-04T00:00:00Z');
const TOKENS = { monitor: 'monitor-token', technician: 'tech-token', archivist: 'archivist-token' };
const report = (cpu: number): RoomReport => ({
  at: new Date(T0).toISOString(),
  version: '1.0.0',
  uptimeS: 1,
  status: 'ok',
  reportSeconds: 10,
  devices: [],
  media: null,
  gateway: null,
  recording: null,
  uploader: null,
  disk: { freeMb: 9000, minutesLeft: null },
  host: {
    sampledAt: new Date(T0).toISOString(),
    cpuPercent: cpu,
    load1: 1,
    cores: 2,
    memTotalMb: 4000,
    memAvailableMb: 1000,
    tempC: null,
    tempMaxC: null,
    disks: [],
    net: [],
  },
});

async function hub(stateDir: string, clock: { t: number }) {
  const built = await buildHub(
    testHubDeps({
      tokens: Object.entries(TOKENS).map(([role, token]) => ({ name: role, sha256: sha256Hex(token), roles: [role as 'monitor'] })),
      stateDir,
      now: () => clock.t,
    }),
  );
  await built.app.ready();
  return built;
}
const get = (app: Awaited<ReturnType<typeof hub>>['app'], url: string, token?: string) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('GET /api/v1/fleet/rooms/:room/history', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'hub-history-'));
  const clock = { t: T0 };
  let h: Awaited<ReturnType<typeof hub>>;
  afterAll(() => h?.app.close());

  it('reports become minutes; monitors and technicians read them, others not; bad query 400, unknown room 404', async () => {
    h = await hub(stateDir, clock);
    const [token] = await enrollRooms(h.enrollment, 1);
    for (let i = 0; i < 180; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/v1/fleet/rooms/room-demo/report',
        headers: { authorization: `Bearer ${token}` },
        payload: report(i % 60),
      });
      expect(r.statusCode, r.body).toBe(200);
      clock.t += 20_000; // 3 reports a minute for an hour
    }
    const ok = await get(h.app, '/fleet/rooms/room-demo/history?hours=24', TOKENS.monitor);
    expect(ok.statusCode, ok.body).toBe(200);
    const body = ok.json();
    expect(body.points).toHaveLength(60);
    expect(body.points[0]).toMatchObject({ t: T0, n: 3, cpuPct: 2, memUsedPct: 75, tempMaxC: null, clockOffsetMs: null });
    expect(body.offline).toEqual([]);
    expect((await get(h.app, '/fleet/rooms/room-demo/history', TOKENS.technician)).json().points).toHaveLength(60);

    expect((await get(h.app, '/fleet/rooms/room-demo/history')).statusCode).toBe(401);
    expect((await get(h.app, '/fleet/rooms/room-demo/history', 'nobody')).statusCode).toBe(401);
    expect((await get(h.app, '/fleet/rooms/room-demo/history', TOKENS.archivist)).statusCode).toBe(403);
    for (const q of ['hours=0', 'hours=25', 'hours=abc', 'hours=1.5']) {
      const bad = await get(h.app, `/fleet/rooms/room-demo/history?${q}`, TOKENS.monitor);
      expect(bad.statusCode, q).toBe(400);
      expect(bad.json(), q).toMatchObject({ field: 'querystring.hours' });
    }
    const extra = await get(h.app, '/fleet/rooms/room-demo/history?colour=red', TOKENS.monitor);
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toContain('colour');
    const unknown = await get(h.app, '/fleet/rooms/room-x/history', TOKENS.monitor);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('room-x');
  });

  it('a hub restarted on the same stateDir still has the history (file 0600)', async () => {
    const before = (await get(h.app, '/fleet/rooms/room-demo/history', TOKENS.monitor)).json();
    await h.app.close(); // flushes
    expect(statSync(join(stateDir, 'fleet-history.json')).mode & 0o777).toBe(0o600);
    h = await hub(stateDir, clock);
    const after = (await get(h.app, '/fleet/rooms/room-demo/history', TOKENS.monitor)).json();
    expect(after.points).toEqual(before.points);
    expect(after.points).toHaveLength(60);
  });
});
