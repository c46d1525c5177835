import { describe, expect, it } from 'vitest';
import { mergePatch } from './merge-patch.js';
import { REDACTED, redactConfig } from './redact-config.js';
import { validateConfig } from './validate-room-config.js';

describe('redactConfig', () => {
  it('takes out every secret of a real room config and leaves the rest as it was', () => {
    const config = validateConfig({
      cameras: [
        {
          id: 'cam1',
          name: 'Camera',
          driver: 'onvif',
          onvif: { xaddr: 'http://admin:pw1@10.0.0.9/onvif/device_service', username: 'admin', password: 'hunter2', profileToken: 'main' },
          presetNames: [{ token: '1', name: 'Công dân' }],
        },
      ],
      media: { rtspUri: 'rtsp://viewer:s3cret@10.0.0.9:554/stream1' },
      kiosk: { pinHash: 'a'.repeat(64) },
      access: { tokens: [{ name: 'tech', role: 'technician', sha256: 'b'.repeat(64) }] },
    });
    const out = redactConfig(config) as typeof config;
    const text = JSON.stringify(out);
    for (const secret of ['hunter2', 'pw1', 's3cret', 'a'.repeat(64), 'b'.repeat(64)]) expect(text).not.toContain(secret);
    expect(out.cameras[0]!.onvif!.password).toBe(REDACTED);
    expect(out.media.rtspUri).toBe(`rtsp://${REDACTED}@10.0.0.9:554/stream1`);
    expect(out.cameras[0]!.onvif!.profileToken).toBe('main'); // a profile's name, not a secret
    expect(out.cameras[0]!.presetNames[0]!.token).toBe('1');
    expect(out.access.tokens[0]!.name).toBe('tech');
    expect(out.api).toEqual(config.api);
  });
});

describe('mergePatch (RFC 7396)', () => {
  it('merges objects, replaces arrays and scalars, deletes on null', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2], k: 1 }, { a: { b: 3 }, l: [9], k: null, n: 'x' })).toEqual({
      a: { b: 3, c: 2 },
      l: [9],
      n: 'x',
    });
  });
});
