import type { UpdateJob } from '../../../common/release/update-job.js';
import { type RestartSettings, supervisorOf } from '../remote-ops/restart.js';

/** How the installer restarts the room, from the room's `remoteOps` supervisor settings (remote-ops/restart.ts). */
export function restartOfJob(
  s: RestartSettings,
  env: NodeJS.ProcessEnv = process.env,
): { restart: UpdateJob['restart']; systemd: boolean } {
  const sup = supervisorOf(s, env);
  const restart: UpdateJob['restart'] =
    sup === 'systemd'
      ? { kind: 'systemd', systemdUnits: s.systemdUnits, pm2Apps: [], pids: [] }
      : sup === 'pm2'
        ? { kind: 'pm2', systemdUnits: [], pm2Apps: [s.pm2Gateway, env.name ?? 'reception-daemon'], pids: [] } // pm2 names each app's env `name`
        : { kind: 'signal', systemdUnits: [], pm2Apps: [], pids: [process.pid] }; // its supervisor starts it again
  return { restart, systemd: sup === 'systemd' };
}
