import { spawn } from 'node:child_process';
import { existsSync, openSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the running app lives and how to start its installer (`reception update apply`) so it outlives
// the restart it causes: forked off by `setsid -f` (no longer the daemon's child: pm2's tree kill and a
// plain supervisor's stop do not reach it). Not under systemd: a restart of the daemon's unit kills its whole
// cgroup, and a transient unit would need a polkit grant that lets the daemon run anything as root
// (create-updater.ts refuses there; an installer unit with its key and paths pinned is still to be built).

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

/** Starts the installer; answers the pid of `setsid`, which forks it off and ends at once. */
export function launchInstaller(o: { appRoot: string; jobFile: string; logFile: string }): number | undefined {
  const cmd = [process.execPath, join(o.appRoot, 'dist/provisioning/reception.js'), 'update', 'apply', '--job', o.jobFile];
  const log = openSync(o.logFile, 'a');
  const child = spawn('setsid', ['-f', ...cmd], { stdio: ['ignore', log, log], detached: true });
  child.unref();
  return child.pid;
}
