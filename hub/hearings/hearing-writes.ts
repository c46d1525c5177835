import type { Hearing, HearingStore } from './hearing-store.js';

// How hearings change, whichever backend keeps them (hub/store/README.md): the routes call these and
// answer once the change is kept. Reads stay on the store (synchronous, the node's view).
// - files: the store's own change, then its lowdb save (hearing-file.ts);
// - PostgreSQL: a transaction first, then the view (hearing-store-pg.ts).

export interface HearingWrites {
  create(title: string, rooms: string[]): Promise<Hearing>;
  addRoom(id: string, room: string): Promise<Hearing>;
  removeRoom(id: string, room: string): Promise<Hearing>;
  end(id: string): Promise<Hearing>;
  close(): Promise<void>;
}

/** The file (or in-memory) backend: answered once the change is saved (a failed save is logged by the store). */
export function fileHearingWrites(store: HearingStore): HearingWrites {
  const kept = async (h: Hearing) => {
    await store.saved();
    return h;
  };
  return {
    create: async (title, rooms) => kept(store.create(title, rooms)),
    addRoom: async (id, room) => kept(store.addRoom(id, room)),
    removeRoom: async (id, room) => kept(store.removeRoom(id, room)),
    end: async (id) => kept(store.end(id)),
    close: () => store.saved(),
  };
}
