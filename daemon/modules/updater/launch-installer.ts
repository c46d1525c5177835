import { spawn } from 'node:child_process';
import { existsSync, openSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the running app lives and how to start its installer (`reception update apply`) so it outlives
// the restart it causes: under systemd in a transient unit of its own (`systemctl restart` of the daemon
// kills the daemon's whole cgroup), elsewhere forked off by `setsid -f` (no longer the daemon's child:
// pm2's tree kill and a plain supervisor's stop do not reach it).

/** The running app's root (realpath): the directory holding dist/provisioning/reception.js. */
export function runningAppRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../../..', '../../..']) {
    const root = realpathSync(join(here, up));
    if (existsSync(join(root, 'dist/provisioning/reception.js'))) return root;
  }
  return undefined;
}

/** `<root>` when the app runs from `<root>/releases/<version>/` and `<root>/current` exists. */
export function installRootOf(appRoot: string | undefined): string | undefined {
  if (!appRoot || basename(dirname(appRoot)) !== 'releases') return undefined;
  const root = dirname(dirname(appRoot));
  return existsSync(join(root, 'current')) ? root : undefined;
}

export function launchInstaller(o: {
  appRoot: string;
  jobFile: string;
  logFile: string;
  systemd: boolean;
  version: string;
}): number | undefined {
  const cmd = [process.execPath, join(o.appRoot, 'dist/provisioning/reception.js'), 'update', 'apply', '--job', o.jobFile];
  const log = openSync(o.logFile, 'a');
  const child = o.systemd
    ? spawn('systemd-run', ['--unit', `reception-update-${o.version}-${Date.now()}`, '--collect', '--quiet', ...cmd], {
        stdio: ['ignore', log, log],
      })
    : spawn('setsid', ['-f', ...cmd], { stdio: ['ignore', log, log], detached: true });
  child.unref();
  return child.pid;
}
