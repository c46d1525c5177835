import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/config/config-error.js';
import { envOverrides } from '../../common/config/env-overrides.js';
import { GatewayFileSchema, loadGatewayConfig } from './load-gateway-config.js';

const dir = mkdtempSync(join(tmpdir(), 'gw-cfg-'));
const file = (name: string, body: object | string) => {
  const p = join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};

describe("the gateway's slices of the room config file", () => {
  it("reads room, api, gateway and the media RTP ports with their defaults; the daemon's sections are not its business", async () => {
    const p = file('room.json', {
      room: { id: 'room-7', name: 'Phòng 7' },
      gateway: { hubUrl: 'ws://hub:8090/api/v1/signal', roomSecret: '' }, // an older config init's empty secret: dropped
      media: { videoRtpPort: 6004, slateText: 'x', workerMaxRssMb: 300 },
      cameras: [{ id: 'cam1', driver: 'sim' }],
      kiosk: { sessionMinutes: 5 },
    });
    const c = await loadGatewayConfig(p, {});
    expect(c.room).toEqual({ id: 'room-7', name: 'Phòng 7' });
    expect(c.api).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.gateway).toEqual({ hubUrl: 'ws://hub:8090/api/v1/signal', host: '127.0.0.1', port: 8081, stunUrls: [] });
    expect(c.media).toMatchObject({ videoRtpPort: 6004, audioRtpPort: 5006, remoteAudioRtpPort: 5010 });
  });

  it('refuses a shared room secret (gone, issue 10): ConfigError naming gateway.roomSecret and saying to enroll, for the gateway and the daemon', async () => {
    const p = file('secret.json', { gateway: { roomSecret: 'demo-room-secret' } });
    const err = await loadGatewayConfig(p, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('/gateway/roomSecret');
    expect((err as ConfigError).message).toContain('reception enroll --hub URL --code CODE');
    const { loadConfig } = await import('../../daemon/config/load-config.js');
    await expect(loadConfig(p, {})).rejects.toThrow(/gateway\/roomSecret.*đăng ký phòng|đăng ký phòng.*gateway\.roomSecret/s);
  });

  it('the embedded default room without a file; the env overrides of its slices apply', async () => {
    const c = await loadGatewayConfig(undefined, {
      RECEPTION_GATEWAY_PORT: '18081',
      RECEPTION_API_PORT: '18080',
      RECEPTION_STATE_DIR: '/var/lib/reception/state',
      RECEPTION_RECORDINGS_DIR: '/not/mine',
    });
    expect([c.room.id, c.gateway.port, c.api.port]).toEqual(['room-demo', 18081, 18080]);
    expect(c.paths).toEqual({ state: '/var/lib/reception/state' }); // the local bridge secret is there (common/local-bridge)
    expect(envOverrides(GatewayFileSchema).map((o) => o.env)).toEqual([
      'RECEPTION_API_HOST',
      'RECEPTION_API_PORT',
      'RECEPTION_GATEWAY_PORT',
      'RECEPTION_STATE_DIR',
    ]);
  });

  it('refuses a bad field of its slices with ConfigError naming it (the CLI exits 78), a missing file or bad JSON too', async () => {
    const bad = await loadGatewayConfig(file('bad.json', { gateway: { port: 'x', hubUrl: 1 } }), {}).catch((e) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad.message).toMatch(/\/gateway\/port/);
    expect(bad.message).toMatch(/\/gateway\/hubUrl/);
    await expect(loadGatewayConfig(file('typo.json', { gateway: { prot: 1 } }), {})).rejects.toThrow(/\/gateway\/prot/);
    await expect(loadGatewayConfig(join(dir, 'nope.json'), {})).rejects.toThrow(/file not found/);
    await expect(loadGatewayConfig(file('broken.json', '{"room": '), {})).rejects.toThrow(/not valid JSON/);
    await expect(loadGatewayConfig(undefined, { RECEPTION_GATEWAY_PORT: 'abc' })).rejects.toThrow(/\/gateway\/port/);
  });
});
