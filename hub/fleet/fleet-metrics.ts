import { RECORDING_ALARM_REASONS } from '../../common/contracts/fleet.js';
import type { FleetStore } from './fleet-store.js';

// Prometheus text for the fleet, appended to the hub's /metrics (sfu/stats.ts builds the rest).

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function fleetMetricsText(fleet: FleetStore): string {
  const out = ['# HELP reception_room_report_age_seconds seconds since the room\'s last fleet report (rooms that reported since the hub started)', '# TYPE reception_room_report_age_seconds gauge'];
  for (const [room, age] of fleet.ages()) out.push(`reception_room_report_age_seconds{room="${label(room)}"} ${age.toFixed(1)}`);
  // One series per known reason, 0 or 1, so an alert on `== 1` resolves when the room reports the alarm cleared.
  out.push('# HELP reception_room_recording_alarm 1 while the room reports that its recording fails (disk-full, write-error): the hearing is not being recorded', '# TYPE reception_room_recording_alarm gauge');
  for (const [room, alarm] of fleet.recordingAlarms()) {
    const reasons = new Set<string>([...RECORDING_ALARM_REASONS, ...(alarm ? [alarm.reason] : [])]);
    for (const reason of reasons) out.push(`reception_room_recording_alarm{room="${label(room)}",reason="${label(reason)}"} ${alarm?.reason === reason ? 1 : 0}`);
  }
  return out.join('\n') + '\n';
}
