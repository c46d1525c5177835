import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { hashToken } from '../access/access.js';
import { buildApi } from '../api/create-api.js';
import { createAuditLog } from '../audit/audit-log.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { createHearings } from '../hearings/create-hearings.js';
import { createSelfTest } from './create-self-test.js';

// POST /api/v1/self-test through the daemon's API with the real hearings module and no recorder: technicians
// only (401/403 otherwise), the body checked (400 naming the field), and a room that records nothing is told so.

const TOKENS = { technician: 'tech-secret', officer: 'officer-secret', monitor: 'monitor-secret' };

describe('POST /api/v1/self-test', () => {
  const dir = mkdtempSync(join(tmpdir(), 'self-test-api-'));
  let app: Awaited<ReturnType<typeof buildApi>>;
  let hearings: ReturnType<typeof createHearings>;
  beforeAll(async () => {
    const config = validateConfig({});
    const bus = createEventBus();
    const devices = assembleDevices([], new SimDsp({ channels: [], meterRateMs: 100 }), [], bus, silentLogger());
    hearings = createHearings({
      stateFile: join(dir, 'hearings.json'),
      gateway: { summary: () => ({ state: 'down' }), detail: () => null },
      bus,
      logger: silentLogger(),
    });
    await hearings.start();
    const selfTest = createSelfTest({
      room: 'room-test',
      stateDir: dir,
      hearings,
      recorder: {
        status: () => ({
          state: 'disabled',
          hearing: null,
          dir: null,
          segments: 0,
          bytes: 0,
          durationMs: 0,
          gaps: 0,
          lastSegment: null,
          alarm: null,
        }),
      },
      publicKeyRaw: () => Buffer.alloc(32),
      logger: silentLogger(),
    });
    app = await buildApi({
      host: '127.0.0.1',
      port: 0,
      room: config.room,
      version: 'test',
      access: {
        loopbackRole: 'none',
        tokens: Object.entries(TOKENS).map(([role, t]) => ({ name: role, role: role as 'officer', sha256: hashToken(t) })),
      },
      audit: createAuditLog(join(dir, 'audit.jsonl')),
      devices,
      bus,
      hearings,
      selfTest,
      logger: silentLogger(),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await hearings.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const post = (payload: object, token?: string) =>
    app.inject({ method: 'POST', url: '/api/v1/self-test', payload, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('technicians only', async () => {
    expect((await post({})).statusCode).toBe(401);
    expect((await post({}, TOKENS.officer)).statusCode).toBe(403);
    expect((await post({}, TOKENS.monitor)).statusCode).toBe(403);
  });

  it('names a bad field', async () => {
    const r = await post({ seconds: 1 }, TOKENS.technician);
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toContain('seconds');
    expect((await post({ minutes: 3 }, TOKENS.technician)).statusCode).toBe(400);
  });

  it('runs a local hearing, ends it, and says nothing was recorded when the room records nothing', async () => {
    const r = await post({ seconds: 3 }, TOKENS.technician);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      ok: false,
      segments: 0,
      verifyOk: false,
      upload: 'not-enrolled',
      problems: [expect.stringContaining('nothing was recorded')],
    });
    expect(hearings.current()).toBeNull(); // the test hearing was ended
  });
});
