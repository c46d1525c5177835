import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { Logger } from '../../../common/log.js';

// Restarting the room's services the way its supervisor expects (systemd/, ecosystem.config.cjs):
// - systemd: `systemctl restart --no-block` of the units (the daemon's last: systemd stops it, the
//   graceful stop runs, it starts again). The reception user needs a polkit rule for these units.
// - pm2: `pm2 restart <gateway>` (same PM2_HOME, inherited), then the daemon stops itself: autorestart.
// - exit: the daemon stops itself (SIGTERM to itself: the graceful stop seals the recording) and its
//   supervisor starts it again (systemd Restart=always, pm2 autorestart: both on exit 0 too).

const run = promisify(execFile);
export type Supervisor = 'systemd' | 'pm2' | 'exit';

export interface RestartSettings {
  supervisor: 'auto' | Supervisor;
  systemdUnits: string[];
  pm2Gateway: string;
}

export function supervisorOf(s: RestartSettings, env: NodeJS.ProcessEnv = process.env): Supervisor {
  if (s.supervisor !== 'auto') return s.supervisor;
  if (env.INVOCATION_ID && env.NOTIFY_SOCKET) return 'systemd';
  return env.pm_id !== undefined ? 'pm2' : 'exit';
}

export function createRestarter(s: RestartSettings, logger: Logger, stopSelf: () => void = () => process.kill(process.pid, 'SIGTERM')) {
  const sup = supervisorOf(s);
  const pm2 = async (...args: string[]) => {
    const bin = createRequire(import.meta.url).resolve('pm2/bin/pm2');
    await run(process.execPath, [bin, ...args], { timeout: 30_000 });
  };
  return {
    supervisor: sup,
    /** Restarts the daemon, and the gateway too when `gateway`; says what it did (for the op's reason). */
    async restart(what: { daemon: boolean; gateway: boolean }): Promise<string> {
      logger.warn({ supervisor: sup, ...what }, 'remote-ops: restarting the room services');
      if (sup === 'systemd') {
        const units = s.systemdUnits.filter((u) => (u.includes('gateway') ? what.gateway : u.includes('daemon') ? what.daemon : true));
        const refused = await run('systemctl', ['restart', '--no-block', ...units], { timeout: 30_000 }).then(
          () => null,
          (e: Error) => e.message.split('\n').slice(0, 2).join(' '),
        );
        if (!refused) return `systemctl restart ${units.join(' ')}`;
        // No polkit rule for the reception user: the daemon alone can still be restarted (Restart=always).
        if (what.gateway) throw new Error(`systemctl restart ${units.join(' ')} refused: ${refused}`);
        setTimeout(stopSelf, 200).unref();
        return `systemctl refused (${refused}): the daemon stops, systemd starts it again`;
      }
      let done = '';
      if (what.gateway) {
        if (sup === 'pm2') {
          await pm2('restart', s.pm2Gateway);
          done = `pm2 restart ${s.pm2Gateway}; `;
        } else done = 'gateway: not restarted (no supervisor to ask: restart it by hand); ';
      }
      if (what.daemon) setTimeout(stopSelf, 200).unref(); // after the journal is saved and the caller has returned
      return `${done}${what.daemon ? `daemon stops, ${sup === 'pm2' ? 'pm2' : 'its supervisor'} starts it again` : ''}`;
    },
  };
}
export type Restarter = ReturnType<typeof createRestarter>;
