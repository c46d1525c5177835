import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../common/log.js';
import { validateConfig } from '../../../config/load-config.js';
import { SimPtz } from '../../../drivers/ptz/sim-ptz.js';
import { SimDsp } from '../../../drivers/dsp/sim-dsp.js';
import { hashToken } from '../../access/access.js';
import { createAuditLog } from '../../audit/audit-log.js';
import { assembleDevices } from '../../devices/create-devices.js';
import { createEventBus } from '../../events/event-bus.js';
import type { Hearing } from '../../../../common/contracts/daemon-api/room.js';
import { hashPin } from '../../kiosk/pin-hash.js';
import { createKioskSessions } from '../../kiosk/kiosk-sessions.js';
import { buildApi } from '../create-api.js';
import { REMOTE } from './api-fixture.js';

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const BRIDGE_SECRET = randomBytes(32);

/** The API with kiosk sessions over a fake clock; loopback gets no role, so only tokens count. */
async function kioskFixture(pinHash: string, pageDir: string) {
  const config = validateConfig({
    access: { loopbackRole: 'none' },
    kiosk: { pinHash, lockAfterFailures: 3, lockoutSeconds: 30, sessionMinutes: 5 },
  });
  const clock = { t: Date.now() };
  const dsp = new SimDsp({ channels: config.audio.channels.map((c) => ({ id: c.id, name: c.name })), meterRateMs: 100 });
  const devices = assembleDevices(
    [{ config: config.cameras[0], driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
    dsp,
    config.audio.presets,
    createEventBus(),
    silentLogger(),
  );
  await devices.start();
  let current: Hearing | null = null;
  const hearings = {
    current: () => current,
    startLocal: async (title: string) =>
      (current = { id: `local-${Date.now()}`, title, source: 'local' as const, startedAt: new Date().toISOString() }),
    endCurrent: async () => {
      const h = current!;
      current = null;
      return h;
    },
  };
  const auditFile = join(mkdtempSync(join(tmpdir(), 'kiosk-audit-')), 'audit.jsonl');
  const sessions = createKioskSessions({ ...config.kiosk, now: () => clock.t });
  const app = await buildApi({
    host: '127.0.0.1',
    port: 0,
    room: { id: 'room-test', name: 'Phòng thử' },
    version: 'test',
    access: { loopbackRole: 'none', tokens: [{ name: 'mon', role: 'monitor', sha256: hashToken('monitor-secret') }] },
    audit: createAuditLog(auditFile),
    devices,
    bus: createEventBus(),
    logger: silentLogger(),
    hearings,
    kiosk: { sessions, settings: config.kiosk, gateway: { host: '127.0.0.1', port: 8081 }, dir: pageDir, bridgeSecret: BRIDGE_SECRET },
  });
  await app.ready();
  const unlock = (pin: string, extra = {}) => app.inject({ method: 'POST', url: '/api/v1/kiosk/unlock', payload: { pin }, ...extra });
  return { app, clock, unlock, auditFile, close: async () => (await app.close(), await devices.stop()) };
}

describe('kiosk API', () => {
  let f: Awaited<ReturnType<typeof kioskFixture>>;
  const page = mkdtempSync(join(tmpdir(), 'kiosk-page-'));
  beforeAll(async () => {
    mkdirSync(join(page, 'assets'));
    writeFileSync(join(page, 'index.html'), '<!doctype html><title>kiosk</title>');
    writeFileSync(join(page, 'assets', 'index-abc.js'), 'console.log(1)');
    f = await kioskFixture(await hashPin('24680'), page);
  });
  afterAll(() => f.close());

  it('serves the page and its assets without a token; /kiosk redirects', async () => {
    const index = await f.app.inject({ url: '/kiosk/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.body).toContain('<title>kiosk</title>');
    const asset = await f.app.inject({ url: '/kiosk/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    const redirect = await f.app.inject({ url: '/kiosk' });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('/kiosk/');
  });

  it('GET /api/v1/kiosk tells the page the room, the bridge URL and the lock timings (monitor)', async () => {
    expect((await f.app.inject({ url: '/api/v1/kiosk' })).statusCode).toBe(401);
    const res = await f.app.inject({ url: '/api/v1/kiosk', headers: bearer('monitor-secret') });
    expect(res.json()).toEqual({
      room: { id: 'room-test', name: 'Phòng thử' },
      gateway: { kioskSignalUrl: 'ws://127.0.0.1:8081/kiosk/signal' },
      pinConfigured: true,
      autoLockSeconds: 120,
      sessionMinutes: 5,
    });
  });

  it('wrong PINs count down, then unlocking is locked out; the audit log never holds the PIN', async () => {
    const first = await f.unlock('11111');
    expect(first.statusCode).toBe(401);
    expect(first.json()).toMatchObject({ code: 'WRONG_PIN' });
    expect(first.json().message).toMatch(/còn 2 lần thử .* 2 attempts left/);
    expect((await f.unlock('22222')).json().message).toMatch(/1 attempts left/);
    const locked = await f.unlock('33333');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('30');
    f.clock.t += 10_000;
    const still = await f.unlock('24680');
    expect(still.statusCode).toBe(429);
    expect(still.json().message).toMatch(/20 s/);
    f.clock.t += 20_000;
    expect((await f.unlock('24680')).statusCode).toBe(200);
    const audit = await vi.waitFor(() => {
      const text = readFileSync(f.auditFile, 'utf8');
      if ((text.match(/kiosk\.unlock/g) ?? []).length < 5) throw new Error('not audited yet');
      return text;
    });
    expect(audit).not.toContain('24680');
    expect(audit).not.toContain('11111');
    expect(audit).toContain('"action":"kiosk.unlock"');
    expect(audit).toMatch(/"status":429.*"result":"failed"/);
  });

  it('each lockout of a streak is twice as long, said in minutes or hours past two minutes', async () => {
    const lockOut = async () => {
      for (let i = 0; i < 3; i++) {
        const r = await f.unlock('99999');
        if (r.statusCode === 429) return r;
      }
      throw new Error('not locked out');
    };
    const waits: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await lockOut();
      waits.push(`${r.headers['retry-after']} ${r.json().message.split(' / ')[1]}`);
      f.clock.t += Number(r.headers['retry-after']) * 1000;
    }
    expect(waits).toEqual([
      '30 too many wrong PINs, try again in 30 s',
      '60 too many wrong PINs, try again in 60 s',
      '120 too many wrong PINs, try again in 2 min',
      '240 too many wrong PINs, try again in 4 min',
    ]);
    expect((await f.unlock('24680')).statusCode).toBe(200); // a right PIN ends the streak
  });

  it('unlock is only for the room box itself, and validates its body', async () => {
    expect((await f.unlock('24680', REMOTE)).statusCode).toBe(403);
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/kiosk/unlock', payload: {} })).statusCode).toBe(400);
  });

  it('the session token acts as officer until it expires or is locked', async () => {
    const res = await f.unlock('24680');
    expect(res.statusCode).toBe(200);
    const { token, role, expiresAt } = res.json();
    expect(role).toBe('officer');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(expiresAt)).toBe(f.clock.t + 5 * 60_000);
    const start = () =>
      f.app.inject({ method: 'POST', url: '/api/v1/hearings/local', payload: { title: 'Phiên tiếp công dân' }, headers: bearer(token) });
    expect((await start()).statusCode).toBe(201);
    expect(
      (await f.app.inject({ method: 'POST', url: '/api/v1/hearings/local', payload: { title: 'x' }, headers: bearer('monitor-secret') }))
        .statusCode,
    ).toBe(403);
    expect((await f.app.inject({ url: '/api/v1/audit', headers: bearer(token) })).statusCode).toBe(403); // officer, not technician
    expect((await f.app.inject({ method: 'POST', url: '/api/v1/hearings/current/end', headers: bearer(token) })).statusCode).toBe(200);

    expect((await f.app.inject({ method: 'POST', url: '/api/v1/kiosk/lock', headers: bearer(token) })).statusCode).toBe(204);
    expect((await start()).statusCode).toBe(401);

    const again = (await f.unlock('24680')).json().token as string;
    f.clock.t += 5 * 60_000 - 1;
    expect((await f.app.inject({ url: '/api/v1/health', headers: bearer(again) })).statusCode).toBe(200);
    f.clock.t += 1;
    expect((await f.app.inject({ url: '/api/v1/health', headers: bearer(again) })).statusCode).toBe(401);
  });

  it('the audit log names the kiosk officer', async () => {
    const token = (await f.unlock('24680')).json().token as string;
    await f.app.inject({ method: 'POST', url: '/api/v1/audio/channels/mic/mute', payload: { muted: true }, headers: bearer(token) });
    const entry = await vi.waitFor(() => {
      const e = readFileSync(f.auditFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((x) => x.action === 'audio.mute');
      if (!e) throw new Error('not audited yet');
      return e;
    });
    expect(entry).toMatchObject({ actor: 'kiosk-officer', role: 'officer', action: 'audio.mute', result: 'ok' });
  });
});

describe('kiosk API without a PIN or a built page', () => {
  it('unlock answers 503 naming the command; /kiosk/ answers 503 naming the build', async () => {
    const f = await kioskFixture('', join(tmpdir(), 'no-such-kiosk-dist'));
    const res = await f.unlock('1234');
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toMatch(/chưa đặt mã PIN.*reception kiosk-pin/);
    const page = await f.app.inject({ url: '/kiosk/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toMatch(/npm run build/);
    await f.close();
  });
});
