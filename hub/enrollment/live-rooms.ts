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
