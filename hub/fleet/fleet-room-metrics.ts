import { counterFrom, gaugeFrom, type MetricsRegistry, type Row } from '../../common/metrics/registry.js';
import type { FleetStore } from './fleet-store.js';
import type { RoomHealthView } from './schemas.js';

// Each room's health as Prometheus series (issue 13), read from its last report at every scrape; the alert
// rules are deploy/prometheus/reception-rules.yml. A value the room did not send (an older room, no sensor,
// not sampled yet) is no series at all, never 0: an alert must not fire on "unknown".

type Room = [room: string, h: RoomHealthView];
const MB = 1024 * 1024;

export function registerRoomMetrics(registry: MetricsRegistry, fleet: FleetStore): void {
  const rooms = (): Room[] => fleet.ages().flatMap(([room]) => ((h) => (h ? [[room, h] as Room] : []))(fleet.health(room)));
  /** One series per room where `pick` knows a value. */
  const perRoom = (name: string, help: string, pick: (h: RoomHealthView) => number | null | undefined) =>
    gaugeFrom(registry, name, help, ['room'], () =>
      rooms().flatMap(([room, h]): Row<'room'>[] => ((v) => (v === null || v === undefined ? [] : [[{ room }, v]]))(pick(h))),
    );

  perRoom('reception_room_up', '1 while the room reports (its last report is not stale: max(3 × its period, 30 s)), else 0', (h) =>
    h.stale ? 0 : 1,
  );
  gaugeFrom(registry, 'reception_room_info', "the room's daemon version (always 1)", ['room', 'version'], () =>
    rooms().map(([room, h]) => [{ room, version: h.version }, 1]),
  );
  perRoom('reception_room_uptime_seconds', "the room daemon's uptime", (h) => h.uptimeS);
  perRoom('reception_room_cpu_percent', "the room box's CPU busy over its last sampling interval, all cores", (h) => h.host?.cpuPercent);
  perRoom('reception_room_memory_available_bytes', 'memory programs can still get on the room box (MemAvailable)', (h) =>
    h.host ? h.host.memAvailableMb * MB : null,
  );
  perRoom('reception_room_memory_total_bytes', 'memory of the room box', (h) => (h.host ? h.host.memTotalMb * MB : null));
  perRoom('reception_room_temperature_max_celsius', 'hottest sensor of the room box (no series: no sensor)', (h) => h.host?.tempMaxC);
  perRoom('reception_room_recordings_free_bytes', 'free space on the room disk holding recordings', (h) =>
    h.disk ? h.disk.freeMb * MB : null,
  );
  // Recording now: at the recent rate; idle: at the rate the room names (last recording or the design rate).
  // Seconds (Prometheus' base unit); the alert divides by 3600 to speak of hearing-hours.
  perRoom('reception_room_recording_seconds_left', 'recording time the free disk holds (recording: at the recent rate)', (h) =>
    ((m) => (m === null || m === undefined ? null : m * 60))(h.disk?.minutesLeft ?? h.disk?.minutesAtRate),
  );
  perRoom('reception_room_upload_backlog_oldest_age_seconds', 'age of the oldest recording file not yet receipted by the archive', (h) =>
    h.uploader ? h.uploader.oldestAgeS : null,
  );
  perRoom('reception_room_upload_backlog_bytes', 'bytes of recordings not yet receipted by the archive', (h) => h.uploader?.backlogBytes);
  perRoom(
    'reception_room_clock_offset_seconds',
    "hub minus room clock at the room's last measurement (positive: the room is behind)",
    (h) => (h.clock ? h.clock.offsetMs / 1000 : null),
  );
  perRoom('reception_room_link_rtt_seconds', "the room gateway's signaling round trip to the hub, smoothed", (h) =>
    typeof h.link?.rttMs === 'number' ? h.link.rttMs / 1000 : null,
  );
  perRoom(
    'reception_room_worker_restarts_last_hour',
    'media worker restarts in the last hour, as the room counts them',
    (h) => h.workerRestarts?.lastHour,
  );
  counterFrom(registry, 'reception_room_worker_restarts_total', 'media worker restarts since the room daemon started', ['room'], () =>
    rooms().flatMap(([room, h]): Row<'room'>[] => (h.workerRestarts ? [[{ room }, h.workerRestarts.total]] : [])),
  );
  gaugeFrom(
    registry,
    'reception_room_device_up',
    "1 while the room's camera or audio DSP is online, else 0",
    ['room', 'device', 'kind'],
    () =>
      rooms().flatMap(([room, h]) =>
        h.devices.map((d): Row<'room' | 'device' | 'kind'> => [{ room, device: d.id, kind: d.kind }, d.state === 'online' ? 1 : 0]),
      ),
  );
}
