import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Issue 10 (low finding): package.json's "allowScripts" listed four packages, but npm never reads that key,
// so every dependency's install script ran at `npm ci`. Now .npmrc turns install scripts off and
// scripts/bootstrap.sh rebuilds the packages that need a native build by name. These tests keep the lists
// honest: a dependency that gains (or a new one that has) an install script must be placed on purpose.

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const bootstrap = read('scripts/bootstrap.sh');
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean; link?: boolean }>;
};

/** The name of a lock entry: what follows its last `node_modules/` ("" for the project itself). */
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
/** A bash array of bootstrap.sh, `NAME=(a b c)` on one line. */
function bashArray(name: string): string[] {
  const m = new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(bootstrap);
  if (!m) throw new Error(`scripts/bootstrap.sh declares no ${name}=(…)`);
  return (m[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

describe('install scripts are opt-in', () => {
  it('.npmrc turns every install script off', () => {
    const settings = read('.npmrc')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith(';'));
    expect(settings).toContain('ignore-scripts=true');
  });

  it('every package of the lock with an install script is rebuilt by name or knowingly not run', () => {
    const withScripts = new Set(
      Object.entries(lock.packages)
        .filter(([path, p]) => path !== '' && p.hasInstallScript)
        .map(([path]) => nameOf(path)),
    );
    const rebuilt = bashArray('NATIVE_BUILDS');
    const notRun = bashArray('SCRIPTS_NOT_RUN');
    expect(
      rebuilt.filter((n) => notRun.includes(n)),
      'in both lists',
    ).toEqual([]);
    expect([...rebuilt, ...notRun].sort(), 'NATIVE_BUILDS + SCRIPTS_NOT_RUN in scripts/bootstrap.sh').toEqual([...withScripts].sort());
    expect(rebuilt).toEqual(expect.arrayContaining(['gstreamer-superficial', 'fs-ext', '@serialport/bindings-cpp']));
  });

  it('bootstrap runs npm ci, applies patches/, then rebuilds exactly NATIVE_BUILDS with their scripts', () => {
    const steps = ['npm ci ', 'npm run --silent postinstall', 'npm rebuild --ignore-scripts=false'].map((s) => bootstrap.indexOf(s));
    expect(steps.every((i) => i > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(bootstrap).toMatch(/npm rebuild --ignore-scripts=false [^\n]*"\$\{NATIVE_BUILDS\[@\]\}"\n/);
    expect(bootstrap).toMatch(/^\s*npm ci --ignore-scripts /m); // beats an npm_config_ignore_scripts=false in the environment
    // the native modules must load afterwards, or bootstrap stops
    for (const name of bashArray('NATIVE_BUILDS')) expect(bootstrap).toContain(`require('${name}')`);
  });

  it('package.json keeps no "allowScripts" (npm ignores it) and postinstall applies the patches', () => {
    const pkg = JSON.parse(read('package.json')) as { allowScripts?: unknown; scripts: Record<string, string> };
    expect(pkg.allowScripts).toBeUndefined();
    expect(pkg.scripts.postinstall).toBe('patch-package --error-on-fail');
  });

  it('each patch names the version of its package in the lock (patch-package refuses another one)', () => {
    const patches = readdirSync(new URL('patches/', root)).filter((f) => f.endsWith('.patch'));
    expect(patches.length).toBeGreaterThan(0);
    for (const file of patches) {
      const m = /^(.+)\+(\d[^+]*)\.patch$/.exec(file);
      expect(m, file).not.toBeNull();
      const name = (m?.[1] ?? '').replace('+', '/'); // scoped: @scope+name+1.2.3.patch
      expect(lock.packages[`node_modules/${name}`]?.version, file).toBe(m?.[2]);
    }
  });
});
