import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, publicKeyPemFromRaw } from '../../common/evidence/index.js';
import { pinReleaseKey, trustReleaseKey } from './release-key.js';
import { provisionCtx } from './test/provision-ctx.js';

// The release key for updates, set at commissioning: a public Ed25519 key is written where the updater reads
// it; a private key, another kind of key or a missing file is refused with the reason; none given is skipped.

describe('provision: release key', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const attempt = async (write?: (file: string) => void) => {
    const { dir } = await provisionCtx({}); // a directory for the given file
    dirs.push(dir);
    const file = join(dir, 'given.pem');
    write?.(file);
    const answered = await provisionCtx({ releaseKey: write ? file : '' });
    dirs.push(answered.dir);
    return { result: await trustReleaseKey(answered.ctx), stateDir: answered.ctx.stateDir };
  };

  it('writes the public half of an Ed25519 key where the updater reads it', async () => {
    const key = generateApplianceKey();
    const { result, stateDir } = await attempt((f) => writeFileSync(f, publicKeyPemFromRaw(key.publicKeyRaw)));
    expect(result.result).toBe('pass');
    expect(readFileSync(join(stateDir, 'keys', 'release-public.pem'), 'utf8')).toBe(publicKeyPemFromRaw(key.publicKeyRaw));
  });

  it('refuses a private key, an RSA key, a missing file; skips when none is given', async () => {
    expect((await attempt((f) => writeFileSync(f, generateApplianceKey().privateKeyPem))).result).toMatchObject({
      result: 'fail',
      figure: expect.stringContaining('private key'),
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect((await attempt((f) => writeFileSync(f, rsa))).result).toMatchObject({
      result: 'fail',
      figure: expect.stringContaining('not an Ed25519 key'),
    });
    expect((await attempt(() => {})).result).toMatchObject({ result: 'fail', figure: expect.stringContaining('ENOENT') });
    expect((await attempt()).result).toMatchObject({ result: 'skipped' });
  });

  it('pins the trusted key for the installer unit (a directory of its own); nothing to pin is said', async () => {
    const key = generateApplianceKey();
    const { stateDir } = await attempt((f) => writeFileSync(f, publicKeyPemFromRaw(key.publicKeyRaw)));
    const pinned = join(stateDir, 'etc-reception-release');
    expect(await pinReleaseKey(stateDir, pinned)).toMatchObject({ result: 'pass' });
    expect(readFileSync(join(pinned, 'release-public.pem'), 'utf8')).toBe(publicKeyPemFromRaw(key.publicKeyRaw));
    const none = await attempt();
    expect(await pinReleaseKey(none.stateDir, join(none.stateDir, 'pin'))).toMatchObject({ result: 'skipped' });
  });
});
