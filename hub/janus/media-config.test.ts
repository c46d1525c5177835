import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { loadHubConfig } from '../config/load-config.js';
import { openMediaPlane } from './open-media-plane.js';

// The `media` section: werift by default (no Janus needed), a bad value names its field, and a Janus that does
// not answer stops the start with an error naming media.janus.url and the URL.

const dir = mkdtempSync(join(tmpdir(), 'media-config-'));
const ice = { hostAddresses: [], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 };
const load = (config: unknown, env: NodeJS.ProcessEnv = {}) => {
  const file = join(dir, `hub-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(config));
  return loadHubConfig(file, {}, env);
};

describe('media config', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the werift plane in the hub process: nothing opened', async () => {
    const config = await load({});
    expect(config.media).toEqual({
      plane: 'werift',
      janus: { url: 'http://127.0.0.1:8088/janus', apiSecretFile: '', adminUrl: '', adminSecretFile: '', timeoutMs: 10_000 },
    });
    expect(await openMediaPlane(config.media, ice, silentLogger())).toBeUndefined();
  });

  it('a bad plane or URL names the field; the env sets the plane', async () => {
    await expect(load({ media: { plane: 'jsnus' } })).rejects.toThrow(/\/media\/plane/);
    await expect(load({ media: { janus: { url: 'janus:8088' } } })).rejects.toThrow(/\/media\/janus\/url/);
    await expect(load({ media: { janus: { secret: 'x' } } })).rejects.toThrow(/\/media\/janus/);
    expect((await load({}, { RECEPTION_HUB_MEDIA_PLANE: 'janus' })).media.plane).toBe('janus');
  });

  it('janus: unreachable at start, or a secret file that cannot be read → an error naming the field and the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}/janus`;
    const media = { plane: 'janus' as const, janus: { url, apiSecretFile: '', adminUrl: '', adminSecretFile: '', timeoutMs: 2000 } };
    await expect(openMediaPlane(media, ice, silentLogger())).rejects.toThrow(
      new RegExp(`^media\\.janus\\.url: Janus at ${url.replace(/[./]/g, '\\$&')} — máy chủ truyền thông`),
    );
    const noFile = { ...media, janus: { ...media.janus, apiSecretFile: join(dir, 'none') } };
    await expect(openMediaPlane(noFile, ice, silentLogger())).rejects.toThrow(/^media\.janus\.apiSecretFile: cannot read/);
  });
});
