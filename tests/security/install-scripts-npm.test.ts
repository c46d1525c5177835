import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Issue 10 (low finding), with npm itself: a dependency whose install script would run code at `npm ci`
// (what an attacker publishing a compromised version relies on). Under the project's .npmrc npm installs it
// without running the script; `npm rebuild --ignore-scripts=false <name>` (what bootstrap does for
// NATIVE_BUILDS) runs it. The control shows the same install without the .npmrc runs it — as before.
// End-to-end project (vitest.config.ts): it spawns npm. Offline: a local tarball, no registry.

const exec = promisify(execFile);
// npm only, as a user starts it: not the npm_config_* an `npx vitest` (in this project) passes down, which
// carry this project's .npmrc settings into every directory
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));
const run = (cmd: string, args: string[], opts: { cwd: string }) => exec(cmd, args, { ...opts, env });
const npmrc = new URL('../../.npmrc', import.meta.url);
let dir = '';
let tarball = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'install-scripts-'));
  const dep = join(dir, 'dep');
  mkdirSync(dep);
  const payload = "require('node:fs').writeFileSync(require('node:path').join(process.env.INIT_CWD, 'install-script-ran'), '')";
  writeFileSync(
    join(dep, 'package.json'),
    JSON.stringify({ name: 'dep-with-install-script', version: '1.0.0', scripts: { install: `node -e "${payload}"` } }),
  );
  const { stdout } = await run('npm', ['pack', '--silent'], { cwd: dep });
  tarball = join(dep, stdout.trim());
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A project depending on the tarball; `withNpmrc` copies this project's .npmrc into it. */
function project(name: string, withNpmrc: boolean) {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  writeFileSync(
    join(cwd, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true, dependencies: { 'dep-with-install-script': `file:${tarball}` } }),
  );
  if (withNpmrc) copyFileSync(npmrc, join(cwd, '.npmrc'));
  return cwd;
}
const install = (cwd: string) => run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd });
const ran = (cwd: string) => existsSync(join(cwd, 'install-script-ran'));

it("under the project's .npmrc a dependency's install script does not run; npm rebuild by name runs it", async () => {
  const cwd = project('with-npmrc', true);
  await install(cwd);
  expect(existsSync(join(cwd, 'node_modules/dep-with-install-script/package.json'))).toBe(true);
  expect(ran(cwd)).toBe(false);
  await run('npm', ['rebuild', '--ignore-scripts=false', 'dep-with-install-script'], { cwd });
  expect(ran(cwd)).toBe(true);
}, 120_000);

it('control: without the .npmrc the same install runs the script', async () => {
  const cwd = project('without-npmrc', false);
  await install(cwd);
  expect(ran(cwd)).toBe(true);
}, 120_000);
