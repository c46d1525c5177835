import { EventEmitter } from 'node:events';
import { AppError, NotFoundError } from '../../common/errors.js';

// Hearings in memory: which rooms take part, and whether the hearing is still running.
// The conference listens to `changed` and re-attaches participants.

export const HEARING_STATES = ['active', 'ended'] as const;
export type HearingState = (typeof HEARING_STATES)[number];

export interface Hearing {
  id: string;
  title: string;
  rooms: string[];
  state: HearingState;
  createdAt: string;
  endedAt?: string;
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409, 'CONFLICT');
  }
}

export type HearingStore = ReturnType<typeof createHearingStore>;

export function createHearingStore(deps: { roomIds: () => string[] }) {
  const hearings = new Map<string, Hearing>();
  const events = new EventEmitter<{ changed: [hearingId: string] }>();
  let counter = 0;

  const get = (id: string): Hearing => {
    const h = hearings.get(id);
    if (!h) throw new NotFoundError(`hearing "${id}" not found`);
    return h;
  };
  const activeOf = (room: string) => [...hearings.values()].find((h) => h.state === 'active' && h.rooms.includes(room));
  const checkRoom = (room: string, except?: string) => {
    if (!deps.roomIds().includes(room)) throw new NotFoundError(`room "${room}" not found`);
    const busy = activeOf(room);
    if (busy && busy.id !== except) throw new ConflictError(`room "${room}" is already in hearing "${busy.id}" (${busy.title})`);
  };

  return {
    events,
    list: () => [...hearings.values()],
    get,
    find: (id: string) => hearings.get(id),
    /** The active hearing a room belongs to, if any (a room is in at most one). */
    activeOf,
    create(title: string, rooms: string[]): Hearing {
      const unique = [...new Set(rooms)];
      unique.forEach((r) => checkRoom(r));
      const id = `hearing-${Date.now().toString(36)}-${++counter}`;
      const h: Hearing = { id, title, rooms: unique, state: 'active', createdAt: new Date().toISOString() };
      hearings.set(id, h);
      events.emit('changed', id);
      return h;
    },
    addRoom(id: string, room: string): Hearing {
      const h = get(id);
      if (h.state !== 'active') throw new ConflictError(`hearing "${id}" has ended`);
      checkRoom(room, id);
      if (!h.rooms.includes(room)) h.rooms.push(room);
      events.emit('changed', id);
      return h;
    },
    removeRoom(id: string, room: string): Hearing {
      const h = get(id);
      if (!h.rooms.includes(room)) throw new NotFoundError(`room "${room}" is not in hearing "${id}"`);
      h.rooms = h.rooms.filter((r) => r !== room);
      events.emit('changed', id);
      return h;
    },
    end(id: string): Hearing {
      const h = get(id);
      if (h.state === 'ended') return h;
      h.state = 'ended';
      h.endedAt = new Date().toISOString();
      events.emit('changed', id);
      return h;
    },
  };
}
