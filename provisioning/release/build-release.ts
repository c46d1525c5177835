import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { publicKeyRawFromPem } from '../../common/evidence/keys.js';
import { type ReleaseManifest, signRelease } from '../../common/release/release-manifest.js';
import { sha256File } from '../../common/release/verify-release.js';

const run = promisify(execFile);

/** What a box runs (the compiled app and the files it serves or installs); node_modules when asked. */
export const APP_PATHS = [
  'dist',
  'hub/console',
  'hub/store/migrations', // the hub's PostgreSQL schema, read by dist/hub/store/hub-store.js
  'gateway/kiosk-bridge/public',
  'kiosk-ui/dist',
  'systemd',
  'patches',
  'package.json',
  'package-lock.json',
  '.node-version',
  'ecosystem.config.cjs',
];

/** node_modules of the production dependencies only (npm's own tree; test tools stay out), outermost paths. */
async function productionModules(root: string): Promise<string[]> {
  // npm ls exits 1 on extraneous packages but still lists the tree.
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, maxBuffer: 16 << 20 }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
  );
  const dirs = stdout
    .split('\n')
    .map((l) => relative(root, l.trim()))
    .filter((d) => d.startsWith('node_modules/'))
    .sort();
  const outer = dirs.filter((d, i) => !dirs.slice(0, i).some((p) => d.startsWith(`${p}/`)));
  if (outer.length === 0) throw new Error(`no production modules found in ${root}/node_modules (run the bootstrap first)`);
  return outer;
}

export interface BuildReleaseOptions {
  root: string; // a built checkout (npm run build done)
  outDir: string;
  privateKeyPem: string;
  withModules: boolean;
  now?: Date;
}

/** Writes `reception-<version>.tar.gz` and `reception-<version>.release.json` into outDir; returns their paths. */
export async function buildRelease(o: BuildReleaseOptions): Promise<{ archive: string; releaseFile: string; manifest: ReleaseManifest }> {
  const pkg = JSON.parse(await readFile(join(o.root, 'package.json'), 'utf8')) as { version: string };
  const paths = [...APP_PATHS, ...(o.withModules ? await productionModules(o.root) : [])];
  const missing = paths.filter((p) => !existsSync(join(o.root, p)));
  if (missing.includes('dist') || missing.includes('package-lock.json'))
    throw new Error(`${o.root} is not a built checkout: missing ${missing.join(', ')} (run npm run build first)`);
  const present = paths.filter((p) => !missing.includes(p));
  const createdAt = (o.now ?? new Date()).toISOString();
  const name = `reception-${pkg.version}${o.withModules ? '' : '-app'}`;
  await mkdir(o.outDir, { recursive: true });
  const archive = join(o.outDir, `${name}.tar.gz`);
  // Same inputs, same bytes: names sorted, owners and times fixed (GNU tar).
  const tarArgs = ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=${createdAt}`, '--exclude=*.test.*'];
  await run('tar', ['-czf', `${archive}.part`, ...tarArgs, '-C', o.root, ...present], { maxBuffer: 1 << 20 });
  await rename(`${archive}.part`, archive);
  const nodeVersion = existsSync(join(o.root, '.node-version'))
    ? await readFile(join(o.root, '.node-version'), 'utf8')
    : process.versions.node;
  const manifest: ReleaseManifest = {
    format: 1,
    version: pkg.version,
    createdAt,
    nodeMajor: Number.parseInt(nodeVersion.trim().replace(/^v/, ''), 10),
    modules: o.withModules ? 'included' : 'app-only',
    lockSha256: await sha256File(join(o.root, 'package-lock.json')),
    archive: { name: `${name}.tar.gz`, bytes: (await stat(archive)).size, sha256: await sha256File(archive) },
  };
  const signed = signRelease(manifest, o.privateKeyPem, publicKeyRawFromPem(o.privateKeyPem));
  const releaseFile = join(o.outDir, `${name}.release.json`);
  await writeFile(releaseFile, `${JSON.stringify(signed, null, 2)}\n`);
  return { archive, releaseFile, manifest };
}
