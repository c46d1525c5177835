import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SignedRelease } from '../../common/release/release-manifest.js';

const run = promisify(execFile);

// The installed layout of a room box (issue 13, updates):
//   <root>/releases/<version>/      an unpacked release (node_modules → ../../modules/<lockSha256>/node_modules)
//   <root>/modules/<lockSha256>/    the production node_modules of one lockfile, shared by the releases built on it
//   <root>/current → releases/<v>   what the units start (reception install --prefix <root>/current)
// A switch is one rename of a symlink: the box runs the old release or the new one, never half of each.

export const layoutOf = (root: string) => ({
  releases: join(root, 'releases'),
  modules: join(root, 'modules'),
  current: join(root, 'current'),
});

/** The version `current` points at (undefined: no release installed yet). */
export async function currentVersion(root: string): Promise<string | undefined> {
  const target = await readlink(layoutOf(root).current).catch(() => undefined);
  return target?.split('/').filter(Boolean).pop();
}

/** Unpacks a verified release into releases/<version> (again: nothing to do), its modules where they belong. */
export async function unpackRelease(root: string, release: SignedRelease, archive: string): Promise<string> {
  const l = layoutOf(root);
  const m = release.manifest;
  const dir = join(l.releases, m.version);
  if (existsSync(join(dir, '.release.json'))) return dir;
  const modules = join(l.modules, m.lockSha256, 'node_modules');
  if (m.modules === 'app-only' && !existsSync(modules))
    throw new Error(
      `bản ${m.version} không kèm thư viện và máy chưa có thư viện cho lockfile ${m.lockSha256.slice(0, 12)}… — ` +
        `release ${m.version} carries no node_modules and this box has none for lockfile ${m.lockSha256.slice(0, 12)}… (build it with --with-modules)`,
    );
  const part = join(l.releases, `.${m.version}.part-${randomBytes(4).toString('hex')}`);
  await mkdir(part, { recursive: true });
  try {
    await run('tar', ['-xzf', archive, '-C', part, '--no-same-owner']);
    if (m.modules === 'included') {
      if (existsSync(modules)) await rm(join(part, 'node_modules'), { recursive: true, force: true });
      else {
        await mkdir(join(l.modules, m.lockSha256), { recursive: true });
        await rename(join(part, 'node_modules'), modules);
      }
    }
    await symlink(join('..', '..', 'modules', m.lockSha256, 'node_modules'), join(part, 'node_modules'));
    await writeFile(join(part, '.release.json'), JSON.stringify(release)); // last: marks the release complete
    await rm(dir, { recursive: true, force: true }); // an earlier attempt's leftovers
    await rename(part, dir);
  } catch (err) {
    await rm(part, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

/** Points `current` at releases/<version> in one rename; returns the version it pointed at before. */
export async function switchCurrent(root: string, version: string): Promise<string | undefined> {
  const l = layoutOf(root);
  if (!existsSync(join(l.releases, version, '.release.json'))) throw new Error(`no complete release ${version} in ${l.releases}`);
  const before = await currentVersion(root);
  const temp = `${l.current}.new-${randomBytes(4).toString('hex')}`;
  await symlink(join('releases', version), temp);
  await rename(temp, l.current);
  return before;
}

/** Removes releases other than `keep` (the running one and the one to fall back to) and unused modules. */
export async function pruneReleases(root: string, keep: string[]): Promise<string[]> {
  const l = layoutOf(root);
  const removed: string[] = [];
  for (const name of await readdir(l.releases).catch(() => [] as string[])) {
    if (keep.includes(name)) continue;
    await rm(join(l.releases, name), { recursive: true, force: true });
    removed.push(name);
  }
  const used = new Set<string>();
  for (const v of keep) {
    const target = await readlink(join(l.releases, v, 'node_modules')).catch(() => '');
    used.add(target.split('/').at(-2) ?? '');
  }
  for (const lock of await readdir(l.modules).catch(() => [] as string[]))
    if (!used.has(lock)) await rm(join(l.modules, lock), { recursive: true, force: true });
  return removed;
}
