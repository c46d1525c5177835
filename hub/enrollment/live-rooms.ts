import type { RoomEntry } from '../config/schema.js';
import type { RoomRegistry } from './registry-contract.js';

// The hub's rooms are the registry's rooms: one array, kept in step with the registry ('changed'), so
// every module that lists rooms (hearings, fleet, the auth plugin) sees a room as soon as it enrolls.
// Rooms still configured with a shared secret (`rooms` in the hub config, being retired) come first;
// an enrolled room of the same id replaces its configured entry. Registry rooms carry no secret.

const NO_SECRET = ''; // matches no token (common/http/credentials matchesSha256 needs 32 bytes)

export function liveRooms(configured: RoomEntry[], registry: Pick<RoomRegistry, 'rooms' | 'events'>): RoomEntry[] {
  const rooms: RoomEntry[] = [];
  const refresh = () => {
    const enrolled = registry.rooms();
    const ids = new Set(enrolled.map((r) => r.id));
    rooms.splice(
      0,
      rooms.length,
      ...configured.filter((r) => !ids.has(r.id)),
      ...enrolled.map((r) => ({ id: r.id, name: r.name, secretSha256: NO_SECRET })),
    );
  };
  refresh();
  registry.events.on('changed', refresh);
  return rooms;
}
