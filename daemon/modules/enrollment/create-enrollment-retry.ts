import { readEnrollment } from '../../../common/contracts/enrollment-file.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { EnrollError, enrollBox } from './enroll-box.js';
import { readPendingEnrollment, removePendingEnrollment } from './pending-enrollment.js';

// A room commissioned while the hub was away enrolls by itself once the hub answers: the pending code
// (pending-enrollment.ts) is tried at start and then with a growing pause (15 s doubling to 5 min). Enrolled,
// the room's services are restarted so the gateway, uploader and fleet report start with the credential.
// A code the hub refuses (wrong, expired, used: 4xx) is not tried again — a technician issues a new one.

export interface EnrollmentRetryDeps {
  stateDir: string;
  logger: Logger;
  /** Restarts the daemon and the gateway (remote-ops/restart.ts). */
  restart: () => Promise<unknown>;
  firstPauseMs?: number;
  maxPauseMs?: number;
}

export function createEnrollmentRetry(deps: EnrollmentRetryDeps) {
  const log = deps.logger;
  const tracker = new HealthTracker();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let pause = deps.firstPauseMs ?? 15_000;

  async function attempt() {
    timer = undefined;
    if (stopped) return;
    const pending = await readPendingEnrollment(deps.stateDir).catch(() => undefined);
    if (!pending || (await readEnrollment(deps.stateDir).catch(() => undefined))) return tracker.set('stopped');
    try {
      const { enrollment } = await enrollBox({ ...pending, stateDir: deps.stateDir, logger: log });
      await removePendingEnrollment(deps.stateDir);
      tracker.set('online');
      log.warn(
        { room: enrollment.room, hub: enrollment.hubUrl, pendingSince: pending.since },
        'enrolled at the hub with the pending code: restarting the room services',
      );
      await deps.restart();
    } catch (err) {
      const refused = err instanceof EnrollError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429;
      tracker.set('offline', (err as Error).message);
      if (refused) {
        log.error(
          { err: (err as Error).message, code: (err as EnrollError).code },
          'PENDING ENROLLMENT REFUSED: issue a new code and run reception enroll',
        );
        return;
      }
      log.info({ err: (err as Error).message, retryInMs: pause }, 'pending enrollment: hub not reached, retrying');
      timer = setTimeout(() => void attempt(), pause);
      pause = Math.min(pause * 2, deps.maxPauseMs ?? 300_000);
    }
  }

  return {
    async start() {
      stopped = false;
      if (await readPendingEnrollment(deps.stateDir).catch(() => undefined)) {
        tracker.set('starting');
        timer = setTimeout(() => void attempt(), 0);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      tracker.set('stopped');
    },
    health: () => tracker.get(),
  };
}
