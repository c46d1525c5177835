import closeWithGrace from 'close-with-grace';
import type { Logger } from '../log.js';
import { installFaultHooks } from '../systemd/fault-hooks.js';
import { createNotifier, type Notifier } from '../systemd/sd-notify.js';

// What the three long-running processes (daemon, gateway, hub) do once their modules are started,
// written once: the `{"ready":true,...}` line, READY=1 and the health-gated watchdog for systemd
// (Type=notify), and a graceful stop on SIGTERM (systemd) or SIGINT (pm2, Ctrl-C) through
// close-with-grace: STOPPING=1, the modules stopped in reverse order, exit 0 — or exit 1 when the
// stop outlasts `graceMs` or when an uncaught exception brought it (the supervisor restarts it).

export interface ServiceOptions {
  /** daemon | gateway | hub: log messages say "<name> ready" / "<name> stopping". */
  name: string;
  logger: Logger;
  /** The one machine-readable stdout line for supervisors, the demo and tests: `{"ready":true, ...line}`. */
  line: { url: string } & Record<string, unknown>;
  /** More fields for the "ready" log entry only. */
  log?: Record<string, unknown>;
  /** systemd's watchdog is pinged only while this holds (a hung loop or a closed listener sends none). */
  healthy: () => boolean;
  /** Stops the modules, in reverse order of start. */
  stop: () => Promise<void>;
  /** Longest a stop may take before exiting anyway; keep it under the unit's TimeoutStopSec and pm2's kill_timeout. */
  graceMs: number;
  /** Tests: a notifier with a stand-in systemd-notify. */
  notifier?: Notifier;
}

/**
 * Only SIGINT, SIGTERM and an uncaught exception end the process gracefully; the other signals keep Node's
 * default (a native crash must not run JS), and an unhandled rejection is logged, not fatal.
 */
const SKIP: closeWithGrace.AllEvents[] = [
  'SIGHUP',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGSEGV',
  'SIGUSR2',
  'unhandledRejection',
  'beforeExit',
];

/** Call once every module is started; answers `close()`, the same graceful stop without a signal (exit 0). */
export function runAsService(o: ServiceOptions): { close(): void } {
  const { name, logger } = o;
  const notifier = o.notifier ?? createNotifier(process.env, { logger });
  // A bug in one handler must not take the room down: log it and keep serving.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  const graceful = closeWithGrace(
    {
      delay: o.graceMs,
      skip: SKIP,
      logger: { error: (msg: unknown) => logger.error({ err: msg }, `${name}: graceful stop`) },
      onTimeout: (ms) => logger.error({ graceMs: ms }, `${name} did not stop within ${ms} ms: exiting anyway`),
      onSecondSignal: (signal) => logger.warn({ signal }, `${name}: second ${signal} while stopping, exiting now`),
    },
    async ({ signal, err, manual }) => {
      if (err) logger.fatal({ err }, `${name}: uncaught exception, stopping`);
      logger.info({ signal: signal ?? (manual ? 'close()' : 'error') }, `${name} stopping`);
      notifier.stopping(); // STOPPING=1, watchdog off
      await o.stop();
    },
  );
  // Announced once a signal would already stop it gracefully.
  logger.info({ ...o.line, ...o.log }, `${name} ready`);
  process.stdout.write(`${JSON.stringify({ ready: true, ...o.line })}\n`);
  notifier.ready(`serving ${o.line.url}`);
  installFaultHooks(process.env, logger); // tests only (RECEPTION_FAULT_HOOKS=1): SIGUSR2 wedges the event loop
  notifier.startWatchdog(o.healthy);

  return { close: () => graceful.close() };
}
