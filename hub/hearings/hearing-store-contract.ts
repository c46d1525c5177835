import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearingStore } from './hearing-store.js';
import type { HearingWrites } from './hearing-writes.js';

// One behaviour, every backend (files: hearing-store-file.test.ts, PostgreSQL: hearing-store-pg.test.ts).
// `backend()` makes an empty place to keep hearings; each `open()` is a hub (re)starting on it.

export const ROOMS = ['room-a', 'room-b', 'room-c'];
export const roomProblem = (room: string) => (room === 'room-revoked' ? 'phòng đã bị thu hồi / the room was revoked' : undefined);

export interface OpenHearings {
  store: HearingStore;
  writes: HearingWrites;
  close(): Promise<void>;
}
export interface HearingBackend {
  open(): Promise<OpenHearings>;
  remove(): Promise<void>;
}

export function describeHearingStoreContract(name: string, backend: () => Promise<HearingBackend>) {
  describe(`hearing store contract: ${name}`, () => {
    let b: HearingBackend;
    let h: OpenHearings;
    beforeAll(async () => {
      b = await backend();
      h = await b.open();
    });
    afterAll(async () => {
      await h?.close();
      await b?.remove();
    });

    it('creates, lists and finds hearings; the view answers at once', async () => {
      const a = await h.writes.create('Tiếp công dân định kỳ', ['room-a', 'room-a']);
      expect(a).toMatchObject({ title: 'Tiếp công dân định kỳ', rooms: ['room-a'], state: 'active' });
      expect(a.history).toEqual([{ room: 'room-a', joinedAt: a.createdAt }]);
      expect(h.store.get(a.id)).toEqual(a);
      expect(h.store.find(a.id)).toEqual(a);
      expect(h.store.activeOf('room-a')?.id).toBe(a.id);
      expect(h.store.list().map((x) => x.id)).toContain(a.id);
      expect(() => h.store.get('hearing-nope')).toThrow(/not found/);
      await h.writes.end(a.id);
    });

    it('a room is in one active hearing at a time: 409 naming the holder; free again once it ended', async () => {
      const a = await h.writes.create('A', ['room-b']);
      await expect(h.writes.create('B', ['room-b'])).rejects.toMatchObject({ statusCode: 409, message: expect.stringContaining(a.id) });
      const b = await h.writes.create('B', []);
      await expect(h.writes.addRoom(b.id, 'room-b')).rejects.toMatchObject({ statusCode: 409, code: 'CONFLICT' });
      expect(h.store.get(b.id).rooms).toEqual([]);
      expect((await h.writes.addRoom(a.id, 'room-b')).rooms).toEqual(['room-b']); // already in: no change, no error
      const ended = await h.writes.end(a.id);
      expect(ended).toMatchObject({ state: 'ended', rooms: ['room-b'] });
      expect(ended.endedAt).toBeDefined();
      expect((await h.writes.end(a.id)).endedAt).toBe(ended.endedAt); // twice: same answer
      await expect(h.writes.addRoom(a.id, 'room-c')).rejects.toMatchObject({ statusCode: 409, message: expect.stringContaining('ended') });
      expect((await h.writes.addRoom(b.id, 'room-b')).rooms).toEqual(['room-b']);
      await h.writes.end(b.id);
    });

    it('404 for an unknown hearing, an unknown room, a room not in the hearing; 409 with the registry’s reason', async () => {
      await expect(h.writes.end('hearing-nope')).rejects.toMatchObject({ statusCode: 404 });
      await expect(h.writes.addRoom('hearing-nope', 'room-a')).rejects.toMatchObject({ statusCode: 404 });
      await expect(h.writes.create('X', ['room-42'])).rejects.toMatchObject({ statusCode: 404 });
      await expect(h.writes.create('X', ['room-revoked'])).rejects.toMatchObject({ statusCode: 409, message: /thu hồi/ });
      const c = await h.writes.create('C', ['room-c']);
      await expect(h.writes.removeRoom(c.id, 'room-a')).rejects.toMatchObject({ statusCode: 404 });
      await h.writes.end(c.id);
    });

    it('keeps who took part: every stint with when it left; removed and ended rooms still took part', async () => {
      const x = await h.writes.create('Tiếp công dân', ['room-a']);
      await h.writes.addRoom(x.id, 'room-b');
      expect((await h.writes.removeRoom(x.id, 'room-b')).rooms).toEqual(['room-a']);
      expect(h.store.activeOf('room-b')).toBeUndefined();
      await h.writes.addRoom(x.id, 'room-b');
      const got = await h.writes.end(x.id);
      expect(got.rooms).toEqual(['room-a', 'room-b']);
      expect(got.history.map((s) => s.room)).toEqual(['room-a', 'room-b', 'room-b']);
      expect(got.history.every((s) => s.leftAt)).toBe(true);
      expect(h.store.tookPart(x.id, 'room-b')).toBe(true);
      expect(h.store.tookPart(x.id, 'room-c')).toBe(false);
      expect(h.store.tookPart('hearing-unknown', 'room-a')).toBe(false);
    });

    it('a restarted hub finds every hearing as it was, and active ones still hold their rooms', async () => {
      const live = await h.writes.create('Đang diễn ra', ['room-c']);
      const again = await b.open();
      try {
        expect(again.store.list()).toEqual(h.store.list());
        expect(again.store.activeOf('room-c')?.id).toBe(live.id);
        await expect(again.writes.create('Khác', ['room-c'])).rejects.toMatchObject({ statusCode: 409 });
      } finally {
        await again.close();
      }
    });
  });
}
