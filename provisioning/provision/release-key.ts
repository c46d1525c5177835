import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyFingerprint, publicKeyPemFromRaw, publicKeyRawFromAnyPem } from '../../common/evidence/index.js';
import type { Ctx } from './context.js';
import { check } from './progress.js';

// The release key this box trusts for software updates (daemon/modules/updater reads
// <paths.state>/keys/release-public.pem unless updates.releaseKeyFile says otherwise): set here, at
// commissioning, from the file the central team gives (`reception release keygen` → release-public.pem).
// Only a public Ed25519 key is taken, and only its public half is written.

export async function trustReleaseKey(ctx: Ctx) {
  const file = await ctx.ask.ask({
    key: 'releaseKey',
    vi: 'Tệp khoá công khai phát hành (trống: bỏ qua)',
    en: 'Release public key file (empty: skip)',
    default: '',
  });
  const name = 'Khoá phát hành / release key';
  if (!file) return check('install', name, 'skipped', 'none given: the box refuses every update until one is set');
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    return check('install', name, false, `${file}: ${(err as Error).message}`);
  }
  if (pem.includes('PRIVATE KEY')) return check('install', name, false, `${file} is a private key: only the public half belongs on a box`);
  let raw: Buffer;
  try {
    raw = publicKeyRawFromAnyPem(pem);
  } catch (err) {
    return check('install', name, false, `${file}: ${(err as Error).message}`);
  }
  const dir = join(ctx.stateDir, 'keys');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'release-public.pem'), publicKeyPemFromRaw(raw), { mode: 0o644 });
  return check('install', name, true, `Ed25519 ${keyFingerprint(raw).slice(0, 16)}… → ${join(dir, 'release-public.pem')}`);
}

/** Where the update installer unit (systemd/reception-update.service) reads the key: root's, not the daemon's. */
export const PINNED_RELEASE_KEY_DIR = '/etc/reception-release';

/**
 * With the units installed: the trusted key copied where only root writes, for the installer unit, which checks
 * every release again with it (a daemon that could change the key it is checked against could install anything).
 */
export async function pinReleaseKey(stateDir: string, dir = PINNED_RELEASE_KEY_DIR) {
  const name = 'Khoá phát hành cho bộ cài / release key for the installer';
  const from = join(stateDir, 'keys', 'release-public.pem');
  const raw = await readFile(from, 'utf8').then(publicKeyRawFromAnyPem, () => undefined);
  if (!raw) return check('install', name, 'skipped', `no release key at ${from}: updates are refused until one is set`);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await copyFile(from, join(dir, 'release-public.pem'));
  return check('install', name, true, `Ed25519 ${keyFingerprint(raw).slice(0, 16)}… → ${join(dir, 'release-public.pem')} (root only)`);
}
