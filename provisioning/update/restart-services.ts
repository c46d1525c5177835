import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { UpdateJob } from '../../common/release/update-job.js';

const run = promisify(execFile);

// Restarts the room's processes so they start from `current` again: systemd units (the installer runs in
// its own transient unit, so it outlives the restart), pm2 apps, or — under a plain supervisor that
// starts a process again when it ends — a SIGTERM to each (a process already gone is fine).
export async function restartServices(r: UpdateJob['restart']): Promise<void> {
  if (r.kind === 'systemd') await run('systemctl', ['restart', ...r.systemdUnits]);
  else if (r.kind === 'pm2') await run(process.execPath, [createRequire(import.meta.url).resolve('pm2/bin/pm2'), 'restart', ...r.pm2Apps]);
  else
    for (const pid of r.pids)
      try {
        process.kill(pid, 'SIGTERM');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
}
