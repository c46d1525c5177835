import { describe, expect, it } from 'vitest';
import { mayWrite, splitArchiveId } from './ownership.js';

// Who may write an archive hearing: `<hearing>.<room>` (or `-r<n>`), the caller being that room, and the
// room in the hub hearing's history.

const took = new Map([['hearing-abc', ['room-a', 'room-b', 'room-a-r2']]]);
const hearings = { tookPart: (id: string, room: string) => took.get(id)?.includes(room) ?? false };

describe('archive ownership', () => {
  it('its own recording of a hearing it took part in, reopened ones too', () => {
    expect(mayWrite('hearing-abc.room-a', 'room-a', hearings)).toEqual({ ok: true, hearing: 'hearing-abc' });
    expect(mayWrite('hearing-abc.room-b-r2', 'room-b', hearings)).toEqual({ ok: true, hearing: 'hearing-abc' });
    expect(mayWrite('hearing-abc.room-b-r12', 'room-b', hearings).ok).toBe(true);
  });

  it("another room's recording: refused naming what the room may write", () => {
    expect(mayWrite('hearing-abc.room-b', 'room-a', hearings)).toEqual({
      ok: false,
      message: `"hearing-abc.room-b" is another room's recording; room "room-a" may write only "hearing-abc.room-a"`,
    });
    // "room-a-r2" is a room of that hearing: its directory is not room-a's reopened one.
    expect(mayWrite('hearing-abc.room-a-r2', 'room-a', hearings)).toMatchObject({
      ok: false,
      message: expect.stringContaining('is room "room-a-r2"'),
    });
    expect(mayWrite('hearing-abc.room-a-r2', 'room-a-r2', hearings).ok).toBe(true);
    for (const bad of ['hearing-abc.room-b-r1', 'hearing-abc.room-b-r0', 'hearing-abc.room-b-rx', 'hearing-abc.room-bb'])
      expect(mayWrite(bad, 'room-b', hearings).ok, bad).toBe(false);
  });

  it('a hearing it never joined, an unknown hearing, an id without a room: refused', () => {
    took.set('hearing-other', ['room-b']);
    expect(mayWrite('hearing-other.room-a', 'room-a', hearings)).toEqual({
      ok: false,
      message: 'room "room-a" did not take part in hub hearing "hearing-other"',
    });
    expect(mayWrite('hearing-guess.room-a', 'room-a', hearings).ok).toBe(false);
    expect(mayWrite('h1', 'room-a', hearings)).toMatchObject({ ok: false, message: expect.stringContaining('is not "<hearing>.<room>"') });
    expect(splitArchiveId('.room-a')).toBeUndefined();
    expect(splitArchiveId('hearing-abc.')).toBeUndefined();
  });
});
