import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, truncateSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateApplianceKey } from '../../common/evidence/keys.js';
import { signRelease } from '../../common/release/release-manifest.js';
import { verifyRelease } from '../../common/release/verify-release.js';
import { buildRelease } from './build-release.js';
import { run } from './release-command.js';

// A built checkout in miniature (real tar, real Ed25519): what a box accepts and every way it refuses.

let root: string;
let out: string;
const key = generateApplianceKey();
const other = generateApplianceKey();
const now = new Date('2026-12-03T10:00:00Z');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'release-root-'));
  out = mkdtempSync(join(tmpdir(), 'release-out-'));
  mkdirSync(join(root, 'dist/daemon'), { recursive: true });
  writeFileSync(join(root, 'dist/daemon/main.js'), 'console.log("daemon")\n');
  writeFileSync(join(root, 'dist/daemon/main.test.js'), 'test only\n');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'reception', version: '0.2.0' }));
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  writeFileSync(join(root, '.node-version'), '24.22.3\n');
});
afterEach(() => vi.restoreAllMocks());

const build = () => buildRelease({ root, outDir: out, privateKeyPem: key.privateKeyPem, withModules: false, now });

describe('signed releases', () => {
  it('builds an archive of the app (tests left out) with a manifest the trusted key verifies', async () => {
    const r = await build();
    expect(r.manifest).toMatchObject({
      version: '0.2.0',
      nodeMajor: 24,
      modules: 'app-only',
      archive: { name: 'reception-0.2.0-app.tar.gz' },
    });
    const listed = execFileSync('tar', ['-tzf', r.archive], { encoding: 'utf8' }).split('\n');
    expect(listed).toContain('dist/daemon/main.js');
    expect(listed.some((f) => f.includes('.test.'))).toBe(false);
    const v = await verifyRelease(r.releaseFile, key.publicKeyRaw);
    expect(v.ok).toBe(true);
  });

  it('is reproducible: the same tree and time give the same archive bytes', async () => {
    const a = (await build()).manifest.archive.sha256;
    const b = (await build()).manifest.archive.sha256;
    expect(a).toBe(b);
  });

  it('refuses an archive altered in place or truncated', async () => {
    const r = await build();
    const bytes = readFileSync(r.archive);
    bytes[bytes.length - 10]! ^= 0xff;
    writeFileSync(r.archive, bytes);
    expect(await verifyRelease(r.releaseFile, key.publicKeyRaw)).toMatchObject({ ok: false, refusal: { code: 'ARCHIVE_HASH' } });
    truncateSync(r.archive, 10);
    expect(await verifyRelease(r.releaseFile, key.publicKeyRaw)).toMatchObject({ ok: false, refusal: { code: 'ARCHIVE_SIZE' } });
  });

  it('refuses an edited manifest, another key, a forged fingerprint, a malformed file', async () => {
    const r = await build();
    const signed = JSON.parse(readFileSync(r.releaseFile, 'utf8'));
    const write = (v: unknown) => (writeFileSync(r.releaseFile, JSON.stringify(v)), verifyRelease(r.releaseFile, key.publicKeyRaw));
    expect(await write({ ...signed, manifest: { ...signed.manifest, version: '9.9.9' } })).toMatchObject({
      refusal: { code: 'BAD_SIGNATURE' },
    });
    const byOther = signRelease(signed.manifest, other.privateKeyPem, other.publicKeyRaw);
    expect(await write(byOther)).toMatchObject({ refusal: { code: 'OTHER_KEY' } });
    expect(await write({ ...byOther, keyFingerprint: signed.keyFingerprint })).toMatchObject({ refusal: { code: 'BAD_SIGNATURE' } });
    const pathEscape = { ...signed, manifest: { ...signed.manifest, archive: { ...signed.manifest.archive, name: '../../etc/x.tar.gz' } } };
    const v = await write(pathEscape);
    expect(v).toMatchObject({ refusal: { code: 'MALFORMED' } });
    expect(!v.ok && v.refusal.en).toContain('/manifest/archive/name');
    writeFileSync(r.releaseFile, '{not json');
    expect(await verifyRelease(r.releaseFile, key.publicKeyRaw)).toMatchObject({ refusal: { code: 'MALFORMED' } });
  });

  it('refuses a tree that is not built', async () => {
    execFileSync('rm', ['-rf', join(root, 'dist')]);
    await expect(build()).rejects.toThrow(/not a built checkout: missing dist/);
  });
});

describe('reception release (CLI)', () => {
  it('keygen never overwrites; build then verify exit 0; verify with another key exits 1 naming why', async () => {
    const keys = join(out, 'keys');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await run(['keygen', '--out', keys])).toBe(0);
    expect(statSync(join(keys, 'release-private.pem')).mode & 0o777).toBe(0o600);
    expect(await run(['keygen', '--out', keys])).toBe(2);
    expect(await run(['build', '--key', join(keys, 'release-private.pem'), '--out', join(out, 'r'), '--root', root])).toBe(0);
    const releaseFile = join(out, 'r', 'reception-0.2.0-app.release.json');
    expect(existsSync(releaseFile)).toBe(true);
    expect(await run(['verify', releaseFile, '--key', join(keys, 'release-public.pem')])).toBe(0);
    const otherPub = join(out, 'other.pem');
    writeFileSync(otherPub, other.privateKeyPem);
    stderr.mockClear();
    expect(await run(['verify', releaseFile, '--key', otherPub])).toBe(1);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/TỪ CHỐI \/ REFUSED \(OTHER_KEY\)/);
    expect(stdout).toHaveBeenCalled();
  });
});
