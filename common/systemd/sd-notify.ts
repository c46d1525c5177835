import { spawn } from 'node:child_process';

/**
 * sd_notify(3) for Node. Node has no unix datagram sockets, so each message goes through
 * `systemd-notify --pid=<our pid>` (a child process: the units need `NotifyAccess=all`).
 * systemd-notify ≥ 246 waits on a BARRIER before exiting, so PID 1 attributes the message to the
 * unit even though the sender is short-lived. Without NOTIFY_SOCKET (pm2, a shell, tests) every
 * call is a no-op. Errors are logged, never thrown: a supervisor quirk must not stop the room.
 */
export interface Notifier {
  /** True when NOTIFY_SOCKET is set: messages are actually sent. */
  readonly enabled: boolean;
  /** How often the watchdog pings (half of WATCHDOG_USEC), or null when systemd set no watchdog for us. */
  readonly watchdogIntervalMs: number | null;
  ready(status?: string): void;
  status(text: string): void;
  watchdogPing(): void;
  /** STOPPING=1, and the watchdog timer stops. */
  stopping(): void;
  /**
   * Pings every `watchdogIntervalMs` while `healthy()` returns true. A hung event loop fires no timer
   * and an unhealthy process sends no ping, so systemd's WatchdogSec kills and restarts it.
   * Returns a function that stops the timer. No-op without a watchdog.
   */
  startWatchdog(healthy: () => boolean): () => void;
}

export interface NotifierDeps {
  logger?: { warn(obj: object, msg: string): void };
  /** The systemd-notify binary (tests may point elsewhere). */
  command?: string;
}

export function createNotifier(env: NodeJS.ProcessEnv = process.env, deps: NotifierDeps = {}): Notifier {
  const socket = env.NOTIFY_SOCKET || undefined;
  const command = deps.command ?? 'systemd-notify';
  const warn = (obj: object, msg: string) =>
    deps.logger ? deps.logger.warn(obj, msg) : process.stderr.write(`sd-notify: ${msg} ${JSON.stringify(obj)}\n`);
  const watchdogIntervalMs = socket ? watchdogInterval(env) : null;
  let timer: NodeJS.Timeout | undefined;

  const send = (...fields: string[]) => {
    if (!socket) return;
    try {
      const child = spawn(command, [`--pid=${process.pid}`, ...fields], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...env, NOTIFY_SOCKET: socket },
      });
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', (err) => warn({ err: err.message, fields }, 'systemd-notify failed'));
      child.on('exit', (code) => {
        if (code !== 0 && code !== null) warn({ code, fields, stderr: stderr.trim() }, 'systemd-notify failed');
      });
    } catch (err) {
      warn({ err: (err as Error).message, fields }, 'systemd-notify failed');
    }
  };
  const stopWatchdog = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    enabled: socket !== undefined,
    watchdogIntervalMs,
    ready: (status) => send('READY=1', ...(status ? [`STATUS=${status}`] : [])),
    status: (text) => send(`STATUS=${text}`),
    watchdogPing: () => send('WATCHDOG=1'),
    stopping: () => {
      stopWatchdog();
      send('STOPPING=1');
    },
    startWatchdog(healthy) {
      if (watchdogIntervalMs === null) return () => {};
      stopWatchdog();
      timer = setInterval(() => {
        let ok = false;
        try {
          ok = healthy();
        } catch (err) {
          warn({ err: (err as Error).message }, 'health check threw');
        }
        if (ok) send('WATCHDOG=1');
      }, watchdogIntervalMs);
      timer.unref(); // the watchdog never keeps a stopping process alive
      return stopWatchdog;
    },
  };
}

/** Half of WATCHDOG_USEC, if it is meant for this process (WATCHDOG_PID unset or ours). */
export function watchdogInterval(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 2000));
}
