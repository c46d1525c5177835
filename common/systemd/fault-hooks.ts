/**
 * Test-only fault hooks, to prove the watchdog on the built processes (tests/e2e/watchdog-notify.test.ts).
 * Off unless RECEPTION_FAULT_HOOKS=1, and never under NODE_ENV=production (the units set it): then SIGUSR2
 * blocks the event loop for RECEPTION_FAULT_BLOCK_MS (default 1 h), as a runaway synchronous loop would —
 * no timer, no I/O, no signal handler runs, so no watchdog ping goes.
 */
const FAULT_HOOKS_ENV = 'RECEPTION_FAULT_HOOKS';
const FAULT_BLOCK_MS_ENV = 'RECEPTION_FAULT_BLOCK_MS';

export function installFaultHooks(env: NodeJS.ProcessEnv, logger: { warn(obj: object, msg: string): void }): boolean {
  if (env[FAULT_HOOKS_ENV] !== '1') return false;
  if (env.NODE_ENV === 'production') {
    logger.warn({}, `${FAULT_HOOKS_ENV}=1 ignored under NODE_ENV=production`);
    return false;
  }
  const ms = Number(env[FAULT_BLOCK_MS_ENV]) > 0 ? Number(env[FAULT_BLOCK_MS_ENV]) : 3_600_000;
  logger.warn({ blockMs: ms }, 'fault hooks on (tests only): SIGUSR2 blocks the event loop');
  process.on('SIGUSR2', () => {
    const t0 = Date.now();
    while (Date.now() - t0 < ms); // wedged on purpose
    logger.warn({ blockedMs: Date.now() - t0 }, 'fault hook: the event loop was blocked');
  });
  return true;
}
