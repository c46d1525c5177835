import { EventEmitter } from 'node:events';
import { AppError, NotFoundError } from '../../common/errors.js';

// Hearings: which rooms take part, and whether the hearing is still running. Kept in memory and,
// when `persist` is given, written out after every change (hearing-file.ts) and handed back as
// `initial` at the next start, so a hub restart keeps its hearings. The conference listens to
// `changed` and re-attaches participants.

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

export interface HearingStoreDeps {
  roomIds: () => string[];
  /** Hearings saved by an earlier run (active ones resume, ended ones stay as history). */
  initial?: Hearing[];
  /** Saves the whole list; called after every change, one call at a time. */
  persist?: (hearings: Hearing[]) => Promise<void>;
  /** A failed save (the hearing still runs in memory). */
  onPersistError?: (err: unknown) => void;
}

export function createHearingStore(deps: HearingStoreDeps) {
  const hearings = new Map<string, Hearing>((deps.initial ?? []).map((h) => [h.id, structuredClone(h)]));
  const events = new EventEmitter<{ changed: [hearingId: string] }>();
  let counter = 0;
  let saving: Promise<void> = Promise.resolve();

  // Every change emits `changed`: that is also the moment to save. Saves are chained so they land in order.
  events.on('changed', () => {
    if (!deps.persist) return;
    const snapshot = structuredClone([...hearings.values()]);
    saving = saving.then(() => deps.persist!(snapshot)).catch((err) => deps.onPersistError?.(err));
  });

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
    /** Resolves once every change made so far is saved (or its failure reported). */
    saved: () => saving,
    create(title: string, rooms: string[]): Hearing {
      const unique = [...new Set(rooms)];
      unique.forEach((r) => checkRoom(r));
      let id: string;
      do id = `hearing-${Date.now().toString(36)}-${++counter}`;
      while (hearings.has(id)); // ids from an earlier run are in the map too
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
