import type { RoomRegistry } from './registry-contract.js';

// The hub's rooms are the registry's rooms: one array, kept in step with the registry ('changed'), so
// every module that lists rooms (hearings, fleet, the auth plugin) sees a room as soon as it enrolls.
// There is no other way in: rooms with a shared secret in the hub config are refused at load.

/** A room as the hub's modules list it (its keys and state stay in the registry). */
export interface HubRoom {
  id: string;
  name: string;
}

export function liveRooms(registry: Pick<RoomRegistry, 'rooms' | 'events'>): HubRoom[] {
  const rooms: HubRoom[] = [];
  const refresh = () => {
    rooms.splice(0, rooms.length, ...registry.rooms().map((r) => ({ id: r.id, name: r.name })));
  };
  refresh();
  registry.events.on('changed', refresh);
  return rooms;
}

/** Why `id` may not be put in a hearing: never enrolled, or no active key (revoked, replaced without a new one). */
export function roomProblem(registry: Pick<RoomRegistry, 'room'>, id: string, now = Date.now()): string | undefined {
  const r = registry.room(id);
  if (!r)
    return `phòng "${id}" chưa đăng ký ở trạm trung tâm / room "${id}" was never enrolled at this hub: enroll it first (reception hub enroll-code, then reception enroll on the box)`;
  const active = r.keys.some((k) => !k.revokedAt && Date.parse(k.validFrom) <= now && (!k.validTo || Date.parse(k.validTo) > now));
  if (!active)
    return `phòng "${id}" đã bị thu hồi, cần đăng ký lại / room "${id}" is revoked (no active key): enroll the box again before it joins a hearing`;
  return undefined;
}
