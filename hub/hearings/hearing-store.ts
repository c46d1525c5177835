import { EventEmitter } from 'node:events';
import { AppError, NotFoundError } from '../../common/errors.js';
import { newHearingId } from './hearing-id.js';

// Hearings: which rooms take part, and whether the hearing is still running. Kept in memory and,
// when `persist` is given, written out after every change (hearing-file.ts) and handed back as
// `initial` at the next start, so a hub restart keeps its hearings. The conference listens to
// `changed` and re-attaches participants.

export const HEARING_STATES = ['active', 'ended'] as const;
export type HearingState = (typeof HEARING_STATES)[number];

/** One stretch of a room's part in a hearing (added → removed or the hearing's end). */
export interface RoomStint {
  room: string;
  joinedAt: string;
  leftAt?: string;
}

export interface Hearing {
  id: string;
  title: string;
  rooms: string[];
  /** Every room that ever took part, and when: the archive lets a room upload only `<hearing>.<itself>` of these. */
  history: RoomStint[];
  state: HearingState;
  createdAt: string;
  endedAt?: string;
}

/** A hearing as an earlier run saved it (files from before the history have none). */
export type SavedHearing = Omit<Hearing, 'history'> & { history?: RoomStint[] };

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409, 'CONFLICT');
  }
}

export type HearingStore = ReturnType<typeof createHearingStore>;

export interface HearingStoreDeps {
  roomIds: () => string[];
  /** Why a room may not join a hearing now (never enrolled, revoked), or undefined: 409 with the reason. */
  roomProblem?: (room: string) => string | undefined;
  /** Hearings saved by an earlier run (active ones resume, ended ones stay as history). */
  initial?: SavedHearing[];
  /** Saves the whole list; called after every change, one call at a time. */
  persist?: (hearings: Hearing[]) => Promise<void>;
  /** A failed save (the hearing still runs in memory). */
  onPersistError?: (err: unknown) => void;
  /** Set when the hearings live in PostgreSQL (hearing-store-pg.ts): this store is then the node's view, filled
   * by `apply`, and its own write methods refuse (a write here would skip the database and the other nodes). */
  writesElsewhere?: string;
}

export function createHearingStore(deps: HearingStoreDeps) {
  // Hearings saved before the history existed: their current rooms are all that is known.
  const hearings = new Map<string, Hearing>(
    (deps.initial ?? []).map((h) => [
      h.id,
      { ...structuredClone(h), history: h.history ?? h.rooms.map((room) => ({ room, joinedAt: h.createdAt })) },
    ]),
  );
  const events = new EventEmitter<{ changed: [hearingId: string] }>();
  const join = (h: Hearing, room: string, at: string) => {
    if (!h.history.some((s) => s.room === room && !s.leftAt)) h.history.push({ room, joinedAt: at });
  };
  const leave = (h: Hearing, room: string, at: string) => {
    for (const s of h.history) if (s.room === room && !s.leftAt) s.leftAt = at;
  };
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
    const problem = deps.roomProblem?.(room);
    if (problem) throw new ConflictError(problem);
    if (!deps.roomIds().includes(room)) throw new NotFoundError(`room "${room}" not found`);
    const busy = activeOf(room);
    if (busy && busy.id !== except) throw new ConflictError(`room "${room}" is already in hearing "${busy.id}" (${busy.title})`);
  };

  const local = () => {
    if (deps.writesElsewhere) throw new Error(`hearings are written through ${deps.writesElsewhere}, not in memory`);
  };

  return {
    events,
    /** Puts a hearing as the database has it now into the view (hearing-store-pg.ts) and announces it. */
    apply(h: Hearing) {
      hearings.set(h.id, h);
      events.emit('changed', h.id);
    },
    list: () => [...hearings.values()],
    get,
    find: (id: string) => hearings.get(id),
    /** The active hearing a room belongs to, if any (a room is in at most one). */
    activeOf,
    /** Whether `room` ever took part in hearing `id` (now or earlier, the hearing running or ended). */
    tookPart: (id: string, room: string) => !!hearings.get(id)?.history.some((s) => s.room === room),
    /** Resolves once every change made so far is saved (or its failure reported). */
    saved: () => saving,
    create(title: string, rooms: string[]): Hearing {
      local();
      const unique = [...new Set(rooms)];
      unique.forEach((r) => checkRoom(r));
      let id: string;
      do id = newHearingId();
      while (hearings.has(id)); // ids from an earlier run are in the map too
      const createdAt = new Date().toISOString();
      const h: Hearing = { id, title, rooms: unique, history: [], state: 'active', createdAt };
      for (const r of unique) join(h, r, createdAt);
      hearings.set(id, h);
      events.emit('changed', id);
      return h;
    },
    addRoom(id: string, room: string): Hearing {
      local();
      const h = get(id);
      if (h.state !== 'active') throw new ConflictError(`hearing "${id}" has ended`);
      checkRoom(room, id);
      if (!h.rooms.includes(room)) h.rooms.push(room);
      join(h, room, new Date().toISOString());
      events.emit('changed', id);
      return h;
    },
    removeRoom(id: string, room: string): Hearing {
      local();
      const h = get(id);
      if (!h.rooms.includes(room)) throw new NotFoundError(`room "${room}" is not in hearing "${id}"`);
      h.rooms = h.rooms.filter((r) => r !== room);
      leave(h, room, new Date().toISOString());
      events.emit('changed', id);
      return h;
    },
    end(id: string): Hearing {
      local();
      const h = get(id);
      if (h.state === 'ended') return h;
      h.state = 'ended';
      h.endedAt = new Date().toISOString();
      for (const r of h.rooms) leave(h, r, h.endedAt);
      events.emit('changed', id);
      return h;
    },
  };
}
