import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissioningUpload } from '../../common/contracts/commissioning.js';
import { silentLogger } from '../../common/log.js';
import { PEOPLE_ROLES } from '../auth/identity.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms, OFFICER_TOKEN } from '../test/hub-fixture.js';

// The hub's commissioning reports through the real app (inject): rooms post with their enrolled token, people
// list the states and read a report; bad bodies name the field; the state survives a restart (stateDir).

const upload = (over: Partial<CommissioningUpload> = {}): CommissioningUpload => ({
  state: 'commissioned',
  at: '2026-12-03T14:00:00.000Z',
  checks: [
    { step: 'cameras', name: 'cam1: đăng nhập / login', result: 'pass', figure: 'admin @ http://cam' },
    { step: 'dsp', name: 'meter', result: 'fail', figure: 'no reading in 5 s' },
    { step: 'install', name: 'install', result: 'skipped', figure: '--no-install' },
  ],
  html: '<!doctype html><p>Biên bản / Report</p>',
  ...over,
});

async function hub(stateDir: string) {
  const built = await buildHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    allowLoopbackOfficers: false,
    tokens: [{ name: 'Kỹ thuật viên', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir,
    archive: { enabled: false, dir: '', maxChunkMb: 4 },
    logger: silentLogger(),
  });
  await built.app.ready();
  return built;
}

describe('hub commissioning reports', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'hub-commissioning-'));
  let h: Awaited<ReturnType<typeof hub>>;
  let tokens: string[];
  const person = { authorization: `Bearer ${OFFICER_TOKEN}` };
  const post = (room: string, token: string, payload: unknown) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/fleet/rooms/${room}/commissioning`,
      headers: { authorization: `Bearer ${token}` },
      payload: payload as object,
    });

  beforeAll(async () => {
    h = await hub(stateDir);
    tokens = await enrollRooms(h.enrollment, 2); // room-demo, room-2
  });
  afterAll(async () => {
    await h.app.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("takes a room's report with its own token and lists it in the console's shape", async () => {
    const res = await post('room-demo', tokens[0]!, upload());
    expect(res.statusCode).toBe(200);
    const list = await h.app.inject({ url: '/api/v1/fleet/commissioning', headers: person });
    expect(list.json()).toEqual([
      {
        room: 'room-demo',
        state: 'commissioned',
        at: '2026-12-03T14:00:00.000Z',
        checksPassed: 1,
        checksFailed: 1,
        reportUrl: '/api/v1/fleet/rooms/room-demo/commissioning/report.html',
      },
    ]);
    const page = await h.app.inject({ url: '/api/v1/fleet/rooms/room-demo/commissioning/report.html', headers: person });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain('sandbox'); // the room's HTML runs nothing
    expect(page.body).toContain('Biên bản / Report');
  });

  it("refuses another room's token (401), an unknown room (404), no credential for the list (401)", async () => {
    expect((await post('room-demo', tokens[1]!, upload())).statusCode).toBe(401);
    expect((await post('room-nowhere', tokens[0]!, upload())).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/v1/fleet/commissioning' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/fleet/rooms/room-2/commissioning/report.html', headers: person })).statusCode).toBe(404);
  });

  it('names the bad field (400) and refuses an oversized report (413)', async () => {
    const bad = await post('room-2', tokens[1]!, upload({ state: 'done' as never }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('state');
    const noHtml = await post('room-2', tokens[1]!, { ...upload(), html: undefined });
    expect(noHtml.statusCode).toBe(400);
    expect(noHtml.json().message).toContain('html');
    const badCheck = await post(
      'room-2',
      tokens[1]!,
      upload({ checks: [{ step: 'box', name: 'cpu', result: 'ok' as never, figure: '' }] }),
    );
    expect(badCheck.json().field).toContain('checks');
    const huge = await post('room-2', tokens[1]!, upload({ html: 'x'.repeat(7 * 1024 * 1024) }));
    expect(huge.statusCode).toBe(413);
  });

  it('measures bandwidth and tells the time to a room; a declared self-test hearing counts as taken part in', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    const bw = await h.app.inject({
      method: 'POST',
      url: '/api/v1/fleet/rooms/room-2/commissioning/bandwidth',
      headers: { authorization: `Bearer ${tokens[1]}`, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect(bw.json().bytes).toBe(300_000);
    const clock = await h.app.inject({ url: '/api/v1/commissioning/clock' });
    expect(Math.abs(clock.json().now - Date.now())).toBeLessThan(60_000);
    const declared = await h.app.inject({
      method: 'POST',
      url: '/api/v1/fleet/rooms/room-2/commissioning/self-test',
      headers: { authorization: `Bearer ${tokens[1]}` },
      payload: { hearing: 'local-2026-12-03T14-00-00-000Z' },
    });
    expect(declared.statusCode).toBe(201);
    const other = await h.app.inject({
      method: 'POST',
      url: '/api/v1/fleet/rooms/room-2/commissioning/self-test',
      headers: { authorization: `Bearer ${tokens[1]}` },
      payload: { hearing: 'h-of-the-hub' },
    });
    expect(other.json().field).toContain('hearing'); // only the room's own local hearings
  });

  it('keeps the reports across a restart (stateDir)', async () => {
    await h.app.close();
    h = await hub(stateDir);
    const list = await h.app.inject({ url: '/api/v1/fleet/commissioning', headers: person });
    expect(list.json().map((i: { room: string }) => i.room)).toEqual(['room-demo']);
    const page = await h.app.inject({ url: '/api/v1/fleet/rooms/room-demo/commissioning/report.html', headers: person });
    expect(page.body).toContain('Biên bản / Report');
  });
});
