// Where each demo room listens. Room 1 keeps the documented ports (API 8080, gateway 8081, ONVIF
// 8000, simulator controls 8001, RTSP 8554, RTP 5004/5006, WS-Discovery 3702); room k ≥ 2 gets its
// own block of ten from 18000 + 100·k, so any number of rooms fits beside the hub on 8090.

export interface RoomPorts {
  api: number;
  gateway: number;
  onvif: number;
  control: number;
  rtsp: number;
  videoRtp: number;
  audioRtp: number;
  discovery: number | null;
}

export const HUB_PORT = 8090;

export function roomPorts(index: number): RoomPorts {
  if (index === 1)
    return { api: 8080, gateway: 8081, onvif: 8000, control: 8001, rtsp: 8554, videoRtp: 5004, audioRtp: 5006, discovery: 3702 };
  const base = 18000 + 100 * index;
  return {
    api: base,
    gateway: base + 1,
    onvif: base + 2,
    control: base + 3,
    rtsp: base + 4,
    videoRtp: base + 6,
    audioRtp: base + 8,
    discovery: null,
  };
}

/** Room ids: room-demo first, then room-2, room-3, … (each enrolls at the demo hub with a one-time code). */
export function roomIdentity(index: number) {
  return index === 1
    ? { id: 'room-demo', name: 'Phòng tiếp công dân số 1 (mô phỏng)' }
    : { id: `room-${index}`, name: `Phòng tiếp công dân số ${index} (mô phỏng)` };
}

/** The demo kiosks' officer PIN (a real room gets its own with `reception kiosk-pin`). */
export const DEMO_KIOSK_PIN = '2468';
