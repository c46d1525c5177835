import { pino, type Logger } from 'pino';

export type { Logger };

// One root logger per process; modules take a child tagged with their name (convention 8).
// JSON to stdout: journald captures it in production, the demo pretty-prints nothing on purpose.
export function createRootLogger(processName: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: processName, level, base: { pid: process.pid } });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
