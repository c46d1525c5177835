import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketChecker, KIOSK_PROTOCOL, ticketFromProtocols } from '../../common/local-bridge/bridge-ticket.js';
import { silentLogger } from '../../common/log.js';
import { validateConfig } from '../../daemon/config/load-config.js';
import { SimDsp } from '../../daemon/drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../daemon/drivers/ptz/sim-ptz.js';
import { buildApi } from '../../daemon/modules/api/create-api.js';
import { createAuditLog } from '../../daemon/modules/audit/audit-log.js';
import { assembleDevices } from '../../daemon/modules/devices/create-devices.js';
import { createEventBus } from '../../daemon/modules/events/event-bus.js';
import { createKioskSessions } from '../../daemon/modules/kiosk/kiosk-sessions.js';
import { hashPin } from '../../daemon/modules/kiosk/pin-hash.js';

// Issue 10 (medium): the room's loopbackRole defaulted to technician, so the kiosk browser (and any
// local process) could read decrypted identities and the audit log without a PIN. Now a token-less
// loopback caller is a monitor with the default config: officer rights only through the kiosk PIN
// session, technician rights only with a token.

const PIN = '2468';
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('the room daemon with its default access config', () => {
  let app: FastifyInstance;
  let stop: () => Promise<void>;
  const secret = randomBytes(32);

  beforeAll(async () => {
    const config = validateConfig({ kiosk: { pinHash: await hashPin(PIN) } });
    const bus = createEventBus();
    const devices = assembleDevices(
      [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
      new SimDsp({ channels: config.audio.channels.map((c) => ({ id: c.id, name: c.name })), meterRateMs: 100 }),
      config.audio.presets,
      bus,
      silentLogger(),
    );
    await devices.start();
    app = await buildApi({
      host: '127.0.0.1',
      port: 0,
      room: config.room,
      version: 'test',
      access: config.access,
      audit: createAuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl')),
      devices,
      bus,
      logger: silentLogger(),
      kiosk: { sessions: createKioskSessions(config.kiosk), settings: config.kiosk, gateway: config.gateway, bridgeSecret: secret },
    });
    await app.ready();
    stop = async () => (await app.close(), await devices.stop());
  });
  afterAll(() => stop());

  it('defaults loopbackRole to monitor', () => {
    expect(validateConfig({}).access.loopbackRole).toBe('monitor');
  });

  it('a loopback caller without a token reads, but officer and technician routes answer 403 naming the role', async () => {
    expect((await app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/kiosk' })).statusCode).toBe(200);
    const move = await app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home' });
    expect(move.json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: expect.stringMatching(/needs officer/) });
    const mute = await app.inject({ method: 'POST', url: '/api/v1/audio/channels/mic/mute', payload: { muted: true } });
    expect(mute.statusCode).toBe(403);
    const audit = await app.inject({ url: '/api/v1/audit' });
    expect(audit.json()).toMatchObject({ statusCode: 403, message: expect.stringMatching(/needs technician/) });
  });

  it('the kiosk PIN session is the officer: the same call succeeds with it, and not after lock', async () => {
    const unlocked = await app.inject({ method: 'POST', url: '/api/v1/kiosk/unlock', payload: { pin: PIN } });
    expect(unlocked.statusCode).toBe(200);
    const { token } = unlocked.json() as { token: string };
    expect((await app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home', headers: bearer(token) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/audit', headers: bearer(token) })).statusCode).toBe(403); // officer, not technician
    expect((await app.inject({ method: 'POST', url: '/api/v1/kiosk/lock', headers: bearer(token) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/home', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('the kiosk page gets a one-use bridge ticket the gateway accepts; the open network gets none', async () => {
    const res = await app.inject({ url: '/api/v1/kiosk/bridge-ticket' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { protocols } = res.json() as { protocols: string[] };
    expect(protocols[0]).toBe(KIOSK_PROTOCOL);
    const check = createTicketChecker(secret);
    expect(check(ticketFromProtocols(protocols)!)).toEqual({ ok: true });
    expect(check(ticketFromProtocols(protocols)!)).toEqual({ ok: false, reason: 'reused' });
    expect((await app.inject({ url: '/api/v1/kiosk/bridge-ticket', remoteAddress: '10.1.2.3' })).statusCode).toBe(401);
  });
});
