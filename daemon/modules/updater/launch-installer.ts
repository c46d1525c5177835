import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the running app lives and how to start its installer (`reception update apply`) so it outlives
// the restart it causes: forked off by `setsid -f` (no longer the daemon's child: pm2's tree kill and a
// plain supervisor's stop do not reach it). Under systemd a restart of the daemon's unit kills its whole cgroup:
// there the installer is a unit of its own, reception-update.service, whose command, key, install root and units
// root pinned in the unit file; the daemon may only start it (systemd/50-reception.rules) with its job waiting in
// the one place the unit reads.

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

/** The job file reception-update.service reads (its ExecStart; systemd/units.test.ts ties it to the daemon's state dir). */
export const UNIT_JOB_FILE = '/var/lib/reception/state/updates/job.json';

/** Under systemd: starts the installer unit without waiting for it (it restarts this daemon). */
export function launchInstallerUnit(): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('systemctl', ['start', '--no-block', 'reception-update.service'], (err, _out, stderr) =>
      err ? reject(new Error(`systemctl start reception-update.service: ${stderr.trim() || err.message}`)) : resolve(),
    ),
  );
}
