import type { RoomReport } from '../../common/contracts/fleet.js';

// A province's day as the rooms report it, for the fleet page's e2e and its screenshots: five rooms with
// office-hours hearings (08:00–11:30, 13:30–16:30 Vietnam time: CPU up, disk going down, backlog while
// uploading), and the troubles a central operator must see — a room gone silent 40 min ago after a night
// outage, a room whose disk filled (recording alarm), a room whose clock drifts past 1 s and whose media
// worker keeps restarting. Deterministic (seeded), so the screenshots are the same every run.

export const FLEET_ROOMS = [
  { id: 'room-demo', name: 'UBND tỉnh Lâm Đồng' },
  { id: 'room-2', name: 'UBND xã Tân Phú' },
  { id: 'room-3', name: 'UBND huyện Đức Trọng' },
  { id: 'room-4', name: 'UBND xã Phú Hội' },
  { id: 'room-5', name: 'UBND phường 1, Bảo Lộc' },
] as const;
export type FleetRoomId = (typeof FLEET_ROOMS)[number]['id'];

const H = 3600_000;
/** Room is silent (no report) at minute `t` (ms before the end of the day). */
export function silent(room: FleetRoomId, msBeforeEnd: number): boolean {
  if (room === 'room-2') return msBeforeEnd < 40 * 60_000 || (msBeforeEnd > 15 * H && msBeforeEnd < 16.2 * H);
  if (room === 'room-3') return msBeforeEnd > 19 * H && msBeforeEnd < 19.6 * H;
  if (room === 'room-4') return msBeforeEnd > 6 * H && msBeforeEnd < 6.75 * H;
  return false;
}

function rand(seed: number) {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/** The report `room` sends at hub time `t`, `msBeforeEnd` before the end of the generated day. */
export function dayReport(room: FleetRoomId, t: number, msBeforeEnd: number): RoomReport {
  const n = FLEET_ROOMS.findIndex((r) => r.id === room);
  const vnHour = (new Date(t).getUTCHours() + 7 + new Date(t).getUTCMinutes() / 60) % 24;
  const hearing = (vnHour >= 8 && vnHour < 11.5) || (vnHour >= 13.5 && vnHour < 16.5);
  const noise = rand(t / 60_000 + n * 1000);
  const full = room === 'room-3' && msBeforeEnd < 3 * H; // the disk fills in the last hours
  const freeMb = room === 'room-3' ? Math.max(0, Math.round((msBeforeEnd / H) * 180 - 300)) : 60_000 + n * 9_000 - (hearing ? 2_000 : 0);
  const alarm = room === 'room-3' && msBeforeEnd < 25 * 60_000;
  const drift = room === 'room-4' ? Math.round(400 + ((24 * H - msBeforeEnd) / (24 * H)) * 1500) : Math.round(8 + noise * 20 - 10);
  const restarts =
    room === 'room-4' && msBeforeEnd < 5 * H ? Math.round(2 + noise * 4) : room === 'room-5' && hearing && noise > 0.97 ? 1 : 0;
  const backlogS = full ? Math.round((3 * H - msBeforeEnd) / 1000) : hearing ? Math.round(noise * 240) : 0;
  return {
    at: new Date(t - drift).toISOString(),
    version: room === 'room-4' ? '1.3.9' : '1.4.2',
    uptimeS: Math.round((24 * H - msBeforeEnd) / 1000) + 3 * 86_400 * (n + 1),
    status: alarm || restarts > 3 || Math.abs(drift) > 1000 ? 'degraded' : 'ok',
    reportSeconds: 10,
    devices: [
      { id: 'cam1', kind: 'camera', state: 'online' },
      { id: 'dsp', kind: 'audio', state: 'online' },
    ],
    media: { state: 'online', source: 'primary' },
    gateway: { state: 'connected', path: room === 'room-5' ? 'turn-tcp' : 'direct-udp' },
    recording: {
      state: hearing ? 'recording' : 'idle',
      hearing: hearing ? `h-${room}` : null,
      segments: hearing ? 40 : 0,
      alarm: alarm
        ? { reason: 'disk-full', since: new Date(t - msBeforeEnd + 24 * H - 25 * 60_000).toISOString(), message: 'No space left on device' }
        : null,
    },
    uploader: {
      state: full ? 'waiting' : hearing ? 'uploading' : 'idle',
      backlogFiles: backlogS > 0 ? Math.max(1, Math.round(backlogS / 60)) : 0,
      backlogBytes: backlogS > 0 ? Math.round(backlogS * 325_000) : 0,
      oldestAgeS: backlogS,
    },
    disk: {
      freeMb,
      minutesLeft: hearing ? Math.round((freeMb * 8) / 2.6 / 60) : null,
      minutesAtRate: Math.round((freeMb * 8) / 2.6 / 60),
      rateKbps: 2600,
      rateBasis: 'design',
    },
    host: {
      sampledAt: new Date(t).toISOString(),
      cpuPercent: Math.round((hearing ? 45 + noise * 25 : 6 + noise * 8) * 10) / 10,
      load1: hearing ? 2.1 : 0.3,
      cores: 4,
      memTotalMb: 7_850,
      memAvailableMb: Math.round(hearing ? 3_400 - noise * 600 : 5_600 - noise * 300),
      tempC: room === 'room-5' ? null : Math.round(hearing ? 62 + noise * 12 : 44 + noise * 4),
      tempMaxC: room === 'room-5' ? null : Math.round(hearing ? 66 + noise * 12 : 47 + noise * 4),
      disks: [],
      net: [
        { iface: 'eth0', up: true, state: 'up', type: 'wired', default: true, speedMbps: 1000, rxKbps: 50, txKbps: hearing ? 2_700 : 40 },
      ],
    },
    clock: {
      offsetMs: drift,
      rttMs: 18 + Math.round(noise * 10),
      measuredAt: new Date(t - drift).toISOString(),
      source: 'hub',
      alarm: Math.abs(drift) > 1000,
    },
    workerRestarts: { lastHour: restarts, total: restarts + (n === 3 ? 11 : 0) },
    // room-4 was offered 1.4.2 this morning; the updater put 1.3.9 back (apply-update.ts's words).
    update:
      room === 'room-4'
        ? {
            version: '1.4.2',
            attempt: 'rollout-1',
            state: 'rolled-back',
            reason: 'không khỏe trong 120 s: media restarting — not healthy within 120 s; về lại 1.3.9 — back on 1.3.9',
            at: new Date(t - msBeforeEnd + 14 * H).toISOString(),
          }
        : null,
    link: {
      rttMs: (room === 'room-5' ? 85 : 24) + Math.round(noise * 30),
      lossPercent: null, // as the rooms send it: the gateway does not measure loss (yet)
    },
  };
}
