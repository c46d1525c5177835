import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, openConfigStore, validateConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
const file = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

describe('config', () => {
  it('the embedded default is a valid simulated room', async () => {
    const c = await loadConfig(undefined, {});
    expect(c.api).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.cameras[0].driver).toBe('sim');
    expect(c.audio.driver).toBe('sim');
  });

  it('names the JSON path of a bad field with a hint', async () => {
    const p = file('bad.json', JSON.stringify({ cameras: [{ id: 'cam1', driver: 'pelco' }] }));
    const err = await loadConfig(p, {}).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('/cameras/0/driver');
    expect(err.message).toMatch(/hint: one of "onvif", "visca", "sim"/);
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => validateConfig({ api: { port: 8080, prot: 1 } })).toThrow(/\/api\/prot/);
  });

  it('rejects a port out of range and a driver without its section', () => {
    expect(() => validateConfig({ api: { port: 70000 } })).toThrow(/\/api\/port/);
    expect(() => validateConfig({ cameras: [{ id: 'c', driver: 'onvif' }] })).toThrow(/\/cameras\/0\/onvif/);
  });

  it('reports malformed JSON and a missing file clearly', async () => {
    await expect(loadConfig(file('broken.json', '{"api": '), {})).rejects.toThrow(/not valid JSON/);
    await expect(loadConfig(join(dir, 'nope.json'), {})).rejects.toThrow(/file not found/);
  });

  it('env overrides ports and paths, and they are validated too', async () => {
    const p = file('ok.json', '{}');
    const c = await loadConfig(p, { RECEPTION_API_PORT: '9999', RECEPTION_STATE_DIR: '/tmp/s' });
    expect(c.api.port).toBe(9999);
    expect(c.paths.state).toBe('/tmp/s');
    await expect(loadConfig(p, { RECEPTION_API_PORT: 'abc' })).rejects.toThrow(/\/api\/port/);
  });

  it('the env overrides are the ones the schema declares, under the names units, pm2 and tests use', async () => {
    const { ConfigSchema } = await import('./schema.js');
    const { envOverrides } = await import('../../common/config/env-overrides.js');
    expect(envOverrides(ConfigSchema).map((o) => `${o.env}=${o.path.join('.')}`)).toEqual([
      'RECEPTION_API_HOST=api.host',
      'RECEPTION_API_PORT=api.port',
      'RECEPTION_STATE_DIR=paths.state',
      'RECEPTION_RECORDINGS_DIR=paths.recordings',
      'RECEPTION_GATEWAY_PORT=gateway.port',
    ]);
    const c = await loadConfig(undefined, {
      RECEPTION_API_HOST: '127.0.0.2',
      RECEPTION_RECORDINGS_DIR: '/r',
      RECEPTION_GATEWAY_PORT: '9081',
    });
    expect([c.api.host, c.paths.recordings, c.gateway.port]).toEqual(['127.0.0.2', '/r', 9081]);
  });

  it('writes through lowdb with 0600 permissions and reads back', async () => {
    const p = join(dir, 'written.json');
    const store = await openConfigStore(p);
    await store.write(validateConfig({ room: { id: 'room-7', name: 'Phòng 7' } }));
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect((await store.read()).room.id).toBe('room-7');
  });
});

describe('config schema', () => {
  it('every field has a description, and every required field a default', async () => {
    const { ConfigSchema } = await import('./schema.js');
    const missing: string[] = [];
    const walk = (s: Record<string, any>, path: string, required: boolean) => {
      if (!s.description) missing.push(`${path}: description`);
      if (required && s.default === undefined) missing.push(`${path}: default`);
      if (s.type === 'object' && s.properties) {
        if (path && s.additionalProperties !== false) missing.push(`${path}: additionalProperties`);
        for (const [k, v] of Object.entries(s.properties)) walk(v as object, `${path}.${k}`, (s.required ?? []).includes(k));
      }
      if (s.type === 'array') walk(s.items, `${path}[]`, false);
    };
    for (const [k, v] of Object.entries(ConfigSchema.properties)) walk(v, k, true);
    expect(missing).toEqual([]);
  });
});
