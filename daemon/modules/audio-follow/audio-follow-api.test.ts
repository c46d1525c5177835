import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AudioFollowState } from '../../../common/contracts/daemon-api/audio-follow.js';
import { Value } from '@sinclair/typebox/value';
import { silentLogger } from '../../../common/log.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { hashToken } from '../access/access.js';
import { buildApi } from '../api/create-api.js';
import { createAuditLog } from '../audit/audit-log.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { validateConfig } from '../../config/load-config.js';
import { createAudioFollow } from './create-audio-follow.js';
import { FOLLOW, simCamera } from './test/follow-rig.js';

// GET/PUT /api/v1/audio-follow through the real access plugin: monitors read, officers switch, refusals audited.

const TOKENS = { officer: 'o-secret', monitor: 'm-secret' };
const auth = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });
const REMOTE = { remoteAddress: '10.1.2.3' };

async function api(enabled = true) {
  const config = validateConfig({});
  const { cam } = simCamera();
  const dsp = new SimDsp({
    channels: [
      { id: 'citizen', name: 'Công dân' },
      { id: 'officer', name: 'Cán bộ' },
    ],
    meterRateMs: 100,
  });
  const bus = createEventBus();
  const devices = assembleDevices([{ config: config.cameras[0], driver: cam }], dsp, [], bus, silentLogger());
  await devices.start();
  const audit = createAuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl'));
  const follow = createAudioFollow({
    config: { ...FOLLOW, enabled },
    meterRateMs: 100,
    cameras: devices.cameras,
    dsp,
    bus,
    audit,
    logger: silentLogger(),
  });
  await follow.start();
  const app = await buildApi({
    host: '127.0.0.1',
    port: 0,
    room: { id: 'room-test', name: 'Phòng thử' },
    version: 'test',
    access: {
      loopbackRole: 'monitor',
      tokens: Object.entries(TOKENS).map(([role, t]) => ({ name: `${role}-user`, role: role as 'officer', sha256: hashToken(t) })),
    },
    audit,
    devices,
    bus,
    audioFollow: follow,
    logger: silentLogger(),
  });
  await app.ready();
  return { app, audit, close: async () => (await app.close(), await follow.stop(), await devices.stop()) };
}

describe('/api/v1/audio-follow', () => {
  let r: Awaited<ReturnType<typeof api>>;
  afterEach(() => r?.close());

  it('monitors (the kiosk on loopback) read the state in the contract shape', async () => {
    r = await api();
    const res = await r.app.inject({ url: '/api/v1/audio-follow' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(AudioFollowState, body)).toBe(true);
    expect(body).toMatchObject({
      mode: 'auto',
      camera: 'cam1',
      channels: [
        { id: 'citizen', preset: 'Citizen' },
        { id: 'officer', preset: 'Officer' },
      ],
    });
    expect((await r.app.inject({ url: '/api/v1/audio-follow', ...REMOTE })).statusCode).toBe(401);
  });

  it('officers switch it off and on (audited); a monitor is refused 403 (audited); a bad body is 400', async () => {
    r = await api();
    const put = (role: keyof typeof TOKENS, payload: Record<string, unknown>) =>
      r.app.inject({ method: 'PUT', url: '/api/v1/audio-follow', headers: auth(role), payload, ...REMOTE });
    expect((await put('monitor', { auto: false })).statusCode).toBe(403);
    const off = await put('officer', { auto: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().mode).toBe('off');
    expect((await put('officer', { auto: true })).json().mode).toBe('auto');
    const bad = await put('officer', { auto: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('body.auto');
    const audit = await r.audit.recent(10);
    expect(audit.map((a) => [a.actor, a.action, a.status])).toEqual(
      expect.arrayContaining([
        ['monitor-user', 'audio-follow.set', 403],
        ['officer-user', 'audio-follow.set', 200],
      ]),
    );
  });

  it('off in the room config: 409 with the reason, Vietnamese first', async () => {
    r = await api(false);
    expect((await r.app.inject({ url: '/api/v1/audio-follow' })).json()).toMatchObject({ mode: 'disabled', camera: null });
    const res = await r.app.inject({
      method: 'PUT',
      url: '/api/v1/audio-follow',
      headers: auth('officer'),
      payload: { auto: true },
      ...REMOTE,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'DISABLED', message: expect.stringMatching(/^Camera tự động .* \/ audio-follow is off/) });
  });
});
