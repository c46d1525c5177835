import { describe, expect, it } from 'vitest';
import type { RoomReport } from '../../common/contracts/fleet.js';
import { sampleBook } from '../../common/evidence/test/chain-fixture.js';
import { createFleetStore } from '../../hub/fleet/fleet-store.js';
import type { BookEntryView } from '../../hub/fleet/schemas.js';

// An outbox entry the room refused must not keep the citizen's identity at the hub forever: after a
// bounded time it is purged, the refusal and the room's reason stay (in memory and in the saved file).

const { updatedAt: _u, ...entry } = sampleBook('denunciation');
const report = (acks: RoomReport['acks'] = []): RoomReport => ({
  at: new Date().toISOString(),
  version: '0.1.0-test',
  uptimeS: 1,
  status: 'ok',
  reportSeconds: 10,
  devices: [],
  media: { state: 'online', source: 'primary' },
  gateway: { state: 'connected' },
  recording: { state: 'recording', hearing: 'h1.room-a', segments: 1 },
  uploader: { state: 'uploading', backlogFiles: 0, backlogBytes: 0, oldestAgeS: 0 },
  disk: { freeMb: 1024, minutesLeft: 60 },
  acks,
});
const HOUR = 3600_000;
/** The bound this test holds the hub to (the hub's own is REFUSED_KEEP_MS, 72 h). */
const BOUND = 7 * 24 * HOUR;

describe('hub book outbox: a refused entry', () => {
  it('keeps the identity for a bounded time, then purges it and keeps the reason (saved too)', async () => {
    let clock = Date.parse('2025-03-04T08:00:00Z');
    let saved: BookEntryView[] = [];
    const fleet = createFleetStore({ now: () => clock, persistBook: async (list) => void (saved = list) });
    fleet.putBook('h1', 'room-a', entry);
    fleet.report('room-a', report());
    fleet.report('room-a', report([{ hearing: 'h1', version: 1, ok: false, error: '409 HEARING_CLOSED: closed' }]));
    expect(fleet.getBook('h1', 'room-a')).toMatchObject({ state: 'failed', entry: { citizen: entry.citizen } });

    clock += HOUR;
    fleet.report('room-b', report());
    expect(fleet.getBook('h1', 'room-a')?.entry.citizen).toEqual(entry.citizen); // still within the bound

    clock += BOUND;
    fleet.report('room-b', report()); // any room's report sweeps
    await fleet.saved();
    for (const view of [fleet.getBook('h1', 'room-a'), saved[0]]) {
      expect(view).toMatchObject({ state: 'failed', error: '409 HEARING_CLOSED: closed', version: 1, entry: { citizen: null } });
      expect(view?.purgedAt).toBe(new Date(clock).toISOString());
    }
    expect(JSON.stringify(saved)).not.toContain(entry.citizen.idNumber);
  });

  it('an old refused entry a restarted hub loads is purged at once', async () => {
    const clock = Date.parse('2025-03-10T08:00:00Z');
    const old: BookEntryView = {
      state: 'failed',
      hearing: 'h1',
      room: 'room-a',
      version: 2,
      entry: structuredClone(entry),
      updatedAt: new Date(clock - BOUND - HOUR).toISOString(),
      deliveredAt: null,
      error: 'refused by the room',
      sha256: null,
    };
    let saved: BookEntryView[] = [];
    const fleet = createFleetStore({ now: () => clock, initialBook: [old], persistBook: async (list) => void (saved = list) });
    await fleet.saved();
    expect(saved).toEqual([{ ...old, entry: { ...old.entry, citizen: null }, purgedAt: new Date(clock).toISOString() }]);
  });
});
