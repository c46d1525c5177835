import { CLOCK_ALARM_MS, type ClockReading } from '../../../common/contracts/clock.js';

// NTP-style offset from one request/answer: the reference stamped its time somewhere between the room's
// send (t0) and receive (t1); taken at the midpoint, the error is at most half the round trip. Pure.

export function clockReading(
  t0: number,
  t1: number,
  referenceMs: number,
  source: ClockReading['source'],
  alarmMs = CLOCK_ALARM_MS,
): ClockReading {
  if (![t0, t1, referenceMs].every(Number.isFinite)) throw new RangeError('clock reading: t0, t1 and the reference time must be numbers');
  if (t1 < t0) throw new RangeError(`clock reading: answer before request (t0 ${t0}, t1 ${t1}): the room's clock was stepped`);
  const offsetMs = Math.round(referenceMs - (t0 + t1) / 2);
  return { offsetMs, rttMs: Math.round(t1 - t0), measuredAt: new Date(t1).toISOString(), source, alarm: Math.abs(offsetMs) > alarmMs };
}
