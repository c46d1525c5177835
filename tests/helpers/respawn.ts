import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';

/**
 * A process started again whenever it ends, as systemd's Restart=always (RestartSec `pauseMs`) or pm2 do:
 * for tests where the process restarts itself (remote ops, updates, enrollment). The command is taken
 * anew at each start (an update switches what `current` points at). Output appended to `logFile`.
 */
export function respawn(command: () => string[], o: { env?: NodeJS.ProcessEnv; logFile: string; pauseMs?: number }) {
  const log = openSync(o.logFile, 'a');
  const starts: string[] = [];
  let child: ChildProcess | undefined;
  let running = true;
  const start = () => {
    starts.push(new Date().toISOString());
    const [bin, ...args] = command();
    child = spawn(bin!, args, { env: o.env, stdio: ['ignore', log, log] });
    child.on('exit', () => running && setTimeout(start, o.pauseMs ?? 300));
  };
  start();
  return {
    starts,
    pid: () => child?.pid,
    stop() {
      running = false;
      child?.kill('SIGINT');
    },
  };
}
