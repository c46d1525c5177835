import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateApplianceKey, publicKeyPemFromRaw } from '../../common/evidence/keys.js';
import type { UpdateJob } from '../../common/release/update-job.js';
import { buildRelease } from '../release/build-release.js';
import { applyUpdate } from './apply-update.js';
import { currentVersion, switchCurrent, unpackRelease } from './install-release.js';
import { sha256File, verifyRelease } from '../../common/release/verify-release.js';
import { type ReleaseManifest, signRelease } from '../../common/release/release-manifest.js';

// The installer on a real layout (real tar, real signatures); the restart and the health watch are the
// seams (their own tests: watch-health.test.ts; the whole thing with real processes: tests/e2e/update-rollback).

const key = generateApplianceKey();
const other = generateApplianceKey();
let dir: string;
let root: string;
let keyFile: string;

async function release(version: string, signer = key) {
  const src = join(dir, `src-${version}`);
  mkdirSync(join(src, 'dist'), { recursive: true });
  writeFileSync(join(src, 'dist/main.js'), `// ${version}\n`);
  writeFileSync(join(src, 'package.json'), JSON.stringify({ version }));
  writeFileSync(join(src, 'package-lock.json'), '{"lock":1}');
  return buildRelease({ root: src, outDir: join(dir, `out-${version}`), privateKeyPem: signer.privateKeyPem, withModules: false });
}

async function install(version: string) {
  const r = await release(version);
  mkdirSync(join(root, 'modules', r.manifest.lockSha256, 'node_modules'), { recursive: true });
  const v = await verifyRelease(r.releaseFile, key.publicKeyRaw);
  if (!v.ok) throw new Error(v.refusal.en);
  await unpackRelease(root, v.release, v.archive!);
  await switchCurrent(root, version);
}

const job = (version: string, releaseFile: string): UpdateJob => ({
  version,
  attempt: '2026-12-03T10:00:00.000Z',
  releaseFile,
  installRoot: root,
  trustedKeyFile: keyFile,
  healthUrl: 'http://127.0.0.1:1/api/v1/health',
  windowSeconds: 60,
  stableSeconds: 10,
  before: { status: 'ok', gateway: 'connected', media: 'online' },
  restart: { kind: 'signal', systemdUnits: [], pm2Apps: [], pids: [] },
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apply-update-'));
  root = join(dir, 'opt');
  keyFile = join(dir, 'release-public.pem');
  writeFileSync(keyFile, publicKeyPemFromRaw(key.publicKeyRaw));
  await install('0.1.0');
});

describe('unpackRelease', () => {
  it('moves the modules of an included release to modules/<lockfile>, where the next app-only release finds them', async () => {
    const src = join(dir, 'src-1.0.0');
    mkdirSync(join(src, 'dist'), { recursive: true });
    mkdirSync(join(src, 'node_modules/dep'), { recursive: true });
    writeFileSync(join(src, 'dist/main.js'), 'require("dep")\n');
    writeFileSync(join(src, 'node_modules/dep/index.js'), 'module.exports = 1\n');
    writeFileSync(join(src, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    writeFileSync(join(src, 'package-lock.json'), '{"lock":"new"}');
    const archive = join(dir, 'reception-1.0.0.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', src, 'dist', 'node_modules', 'package.json', 'package-lock.json']);
    const manifest: ReleaseManifest = {
      format: 1,
      version: '1.0.0',
      createdAt: '2026-12-03T10:00:00.000Z',
      nodeMajor: 24,
      modules: 'included',
      lockSha256: await sha256File(join(src, 'package-lock.json')),
      archive: { name: 'reception-1.0.0.tar.gz', bytes: statSync(archive).size, sha256: await sha256File(archive) },
    };
    const signed = signRelease(manifest, key.privateKeyPem, key.publicKeyRaw);
    const d = await unpackRelease(root, signed, archive);
    expect(readFileSync(join(root, 'modules', manifest.lockSha256, 'node_modules/dep/index.js'), 'utf8')).toContain('module.exports');
    expect(readFileSync(join(d, 'node_modules/dep/index.js'), 'utf8')).toContain('module.exports'); // through the link
    expect(await unpackRelease(root, signed, archive)).toBe(d); // again: nothing to do
  });
});

describe('applyUpdate', () => {
  it('healthy: current switched, restarted once, the release before kept, older ones pruned', async () => {
    await install('0.0.9'); // an older one still on disk
    await switchCurrent(root, '0.1.0');
    const r = await release('0.2.0');
    const restarts: string[] = [];
    const s = await applyUpdate(job('0.2.0', r.releaseFile), {
      restart: async () => void restarts.push((await currentVersion(root)) ?? ''),
      watch: async () => ({ ok: true, afterMs: 12_000 }),
    });
    expect(s).toMatchObject({ state: 'installed', version: '0.2.0', reason: null });
    expect(restarts).toEqual(['0.2.0']);
    expect(readdirSync(join(root, 'releases')).sort()).toEqual(['0.1.0', '0.2.0']);
    expect(readFileSync(join(root, 'current/dist/main.js'), 'utf8')).toBe('// 0.2.0\n');
    expect(existsSync(join(root, 'current/node_modules'))).toBe(true); // the shared modules of its lockfile
  });

  it('not healthy in time: back on the previous release, restarted again, the reason kept', async () => {
    const r = await release('0.2.0');
    const restarts: string[] = [];
    const s = await applyUpdate(job('0.2.0', r.releaseFile), {
      restart: async () => void restarts.push((await currentVersion(root)) ?? ''),
      watch: async () => ({ ok: false, reason: 'not healthy within 60 s: no answer' }),
    });
    expect(s.state).toBe('rolled-back');
    expect(s.reason).toMatch(/not healthy within 60 s.*back on 0\.1\.0/);
    expect(restarts).toEqual(['0.2.0', '0.1.0']);
    expect(await currentVersion(root)).toBe('0.1.0');
  });

  it('a release signed by another key, or altered after the daemon checked it: refused, nothing changed', async () => {
    const forged = await release('0.3.0', other);
    const never = async () => {
      throw new Error('must not restart');
    };
    const s = await applyUpdate(job('0.3.0', forged.releaseFile), { restart: never });
    expect(s).toMatchObject({ state: 'refused', reason: expect.stringMatching(/another key/) });
    const good = await release('0.4.0');
    const bytes = readFileSync(good.archive);
    bytes[bytes.length - 3]! ^= 1;
    writeFileSync(good.archive, bytes);
    expect((await applyUpdate(job('0.4.0', good.releaseFile), { restart: never })).reason).toMatch(/altered/);
    expect(await currentVersion(root)).toBe('0.1.0');
    expect(readdirSync(join(root, 'releases'))).toEqual(['0.1.0']);
  });

  it('an app-only release for a lockfile this box has no modules of: failed before any switch', async () => {
    const src = await release('0.5.0');
    const raw = JSON.parse(readFileSync(src.releaseFile, 'utf8'));
    expect(raw.manifest.modules).toBe('app-only');
    writeFileSync(join(dir, `src-0.5.0`, 'package-lock.json'), '{"lock":2}');
    const r = await buildRelease({
      root: join(dir, 'src-0.5.0'),
      outDir: join(dir, 'out-0.5.0b'),
      privateKeyPem: key.privateKeyPem,
      withModules: false,
    });
    const s = await applyUpdate(job('0.5.0', r.releaseFile), {
      restart: async () => {
        throw new Error('must not restart');
      },
    });
    expect(s).toMatchObject({ state: 'failed', reason: expect.stringMatching(/carries no node_modules/) });
    expect(await currentVersion(root)).toBe('0.1.0');
  });
});
