import { RECORDING_ALARM_REASONS } from '../../common/contracts/fleet.js';
import { gaugeFrom, type MetricsRegistry, type Row } from '../../common/metrics/registry.js';
import type { FleetStore } from './fleet-store.js';
import { registerRoomMetrics } from './fleet-room-metrics.js';

// The fleet's series in the hub's metrics registry (common/metrics), read from the store at each scrape.

export function registerFleetMetrics(registry: MetricsRegistry, fleet: FleetStore): void {
  gaugeFrom(
    registry,
    'reception_room_report_age_seconds',
    "seconds since the room's last fleet report (rooms that reported since the hub started)",
    ['room'],
    () => [...fleet.ages()].map(([room, age]) => [{ room }, Math.round(age * 10) / 10]),
  );
  // One series per known reason, 0 or 1, so an alert on `== 1` resolves when the room reports the alarm cleared.
  gaugeFrom(
    registry,
    'reception_room_recording_alarm',
    '1 while the room reports that its recording fails (disk-full, write-error): the hearing is not being recorded',
    ['room', 'reason'],
    () =>
      [...fleet.recordingAlarms()].flatMap(([room, alarm]) =>
        [...new Set<string>([...RECORDING_ALARM_REASONS, ...(alarm ? [alarm.reason] : [])])].map(
          (reason): Row<'room' | 'reason'> => [{ room, reason }, alarm?.reason === reason ? 1 : 0],
        ),
      ),
  );
  // Someone guessing the kiosk PIN: locked is the moment, lockouts the streak (it only ends with a right PIN).
  const kiosks = () => [...fleet.kioskLocks()].filter((k): k is [string, NonNullable<(typeof k)[1]>] => k[1] !== null);
  gaugeFrom(
    registry,
    'reception_room_kiosk_locked',
    "1 while the room reports its kiosk PIN unlock locked out after wrong PINs (someone may be guessing the officers' PIN), else 0",
    ['room'],
    () => kiosks().map(([room, k]) => [{ room }, k.locked ? 1 : 0]),
  );
  gaugeFrom(
    registry,
    'reception_room_kiosk_lockouts',
    'kiosk PIN lockouts in the current streak of wrong PINs (each twice as long as the last; a right PIN resets it)',
    ['room'],
    () => kiosks().map(([room, k]) => [{ room }, k.lockouts]),
  );
  registerRoomMetrics(registry, fleet); // host, disk, clock, worker, devices, version (issue 13)
}
