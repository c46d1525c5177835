import { describe, expect, it } from 'vitest';
import { HEARING_ID, base32, newHearingId } from './hearing-id.js';
import { createHearingStore, type Hearing } from './hearing-store.js';

// Hearing ids nobody can guess, and the history of the rooms that took part (the archive lets a room
// upload only `<hearing>.<itself>` of a hearing in its history).

const rooms = ['room-a', 'room-b', 'room-c'];

describe('hearing ids', () => {
  it('are "hearing-" + 96 random bits in base32, no two alike, no order to guess from', () => {
    const ids = Array.from({ length: 2000 }, newHearingId);
    for (const id of ids) expect(id).toMatch(HEARING_ID);
    expect(new Set(ids).size).toBe(ids.length);
    // No shared prefix as a clock or counter would leave: the first characters spread over the alphabet.
    expect(new Set(ids.map((id) => id.slice(8, 10))).size).toBeGreaterThan(500);
    expect(ids.every((id) => !id.includes('.'))).toBe(true);
  });

  it('base32 is RFC 4648 (lower case, no padding)', () => {
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
    expect(base32(Buffer.from('f'))).toBe('my');
    expect(base32(Buffer.alloc(12, 0xff))).toBe('7777777777777777777q');
  });

  it('the store hands them out', () => {
    const store = createHearingStore({ roomIds: () => rooms });
    const a = store.create('A', []);
    const b = store.create('B', []);
    expect(a.id).toMatch(HEARING_ID);
    expect(b.id).toMatch(HEARING_ID);
    expect(a.id).not.toBe(b.id);
  });
});

describe('who took part', () => {
  it('keeps every room that ever joined, with when it left; removed and ended rooms still took part', () => {
    const store = createHearingStore({ roomIds: () => rooms });
    const h = store.create('Tiếp công dân', ['room-a']);
    store.addRoom(h.id, 'room-b');
    store.removeRoom(h.id, 'room-b');
    store.addRoom(h.id, 'room-b');
    store.end(h.id);
    const got = store.get(h.id);
    expect(got.rooms).toEqual(['room-a', 'room-b']);
    expect(got.history.map((s) => s.room)).toEqual(['room-a', 'room-b', 'room-b']);
    expect(got.history.every((s) => s.leftAt)).toBe(true);
    expect(store.tookPart(h.id, 'room-a')).toBe(true);
    expect(store.tookPart(h.id, 'room-b')).toBe(true);
    expect(store.tookPart(h.id, 'room-c')).toBe(false);
    expect(store.tookPart('hearing-unknown', 'room-a')).toBe(false);
    const other = store.create('Khác', ['room-c']);
    expect(store.tookPart(other.id, 'room-a')).toBe(false);
  });

  it('is saved and read back; a file from before the history counts its rooms', async () => {
    let saved: Hearing[] = [];
    const store = createHearingStore({ roomIds: () => rooms, persist: async (l) => void (saved = l) });
    const h = store.create('A', ['room-a']);
    store.removeRoom(h.id, 'room-a');
    await store.saved();
    const again = createHearingStore({ roomIds: () => rooms, initial: saved });
    expect(again.tookPart(h.id, 'room-a')).toBe(true);
    const { history: _h, ...old } = { ...saved[0]!, id: 'hearing-old-1', rooms: ['room-c'] };
    const legacy = createHearingStore({ roomIds: () => rooms, initial: [old] });
    expect(legacy.tookPart('hearing-old-1', 'room-c')).toBe(true);
    expect(legacy.tookPart('hearing-old-1', 'room-a')).toBe(false);
  });
});
