import type { ClockReading } from '../../../common/contracts/clock.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { clockReading } from './clock-offset.js';

// The room's clock discipline. The fleet reporter times each report (t0, t1 on this module's clock) and
// hands over the hub's time from the answer; the last measurement is kept, shown in GET /api/v1/health,
// sent in the next report and written in each hearing's manifest (the recorder reads `summary()`).
// An offset past 1 s is an alarm: logged once when raised and once when cleared.

export interface ClockDeps {
  logger: Logger;
  /** The room's clock (tests inject a wrong one). */
  now?: () => number;
  alarmMs?: number;
}

export type RoomClock = ReturnType<typeof createClock>;

export function createClock(deps: ClockDeps) {
  const now = deps.now ?? Date.now;
  const self = new HealthTracker();
  let last: ClockReading | null = null;
  return {
    now,
    async start() {
      self.set('online');
    },
    async stop() {
      self.set('stopped');
    },
    health: () => self.get(),
    /** One round trip to a reference clock: request sent at t0, answer at t1 (both `now()`), reference time in the answer. */
    measured(t0: number, t1: number, referenceMs: number, source: ClockReading['source'] = 'hub'): ClockReading | null {
      let r: ClockReading;
      try {
        r = clockReading(t0, t1, referenceMs, source, deps.alarmMs);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'clock reading dropped');
        return null;
      }
      if (r.alarm !== (last?.alarm ?? false))
        deps.logger[r.alarm ? 'warn' : 'info'](
          { offsetMs: r.offsetMs, rttMs: r.rttMs, source },
          r.alarm ? "clock alarm: the room's clock is off by more than 1 s" : 'clock alarm cleared',
        );
      last = r;
      return r;
    },
    /** The last measurement; null until the hub (or NTP) has answered once. */
    summary: (): ClockReading | null => last,
  };
}
