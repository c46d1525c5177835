import type { FleetStore } from './fleet-store.js';

// Prometheus text for the fleet, appended to the hub's /metrics (sfu/stats.ts builds the rest).

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function fleetMetricsText(fleet: FleetStore): string {
  const out = ['# HELP reception_room_report_age_seconds seconds since the room\'s last fleet report (rooms that reported since the hub started)', '# TYPE reception_room_report_age_seconds gauge'];
  for (const [room, age] of fleet.ages()) out.push(`reception_room_report_age_seconds{room="${label(room)}"} ${age.toFixed(1)}`);
  return out.join('\n') + '\n';
}
