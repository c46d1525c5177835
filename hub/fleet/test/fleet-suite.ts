import { describe, expect, it } from 'vitest';
import type { RoomReport } from '../../../common/contracts/fleet.js';
import { bareReport } from '../../../common/contracts/test/samples.js';
import { sampleBook } from '../../../common/evidence/test/chain-fixture.js';
import type { FleetStore } from '../fleet-store.js';

// The fleet store's contract — each room's last report and the reception book outbox — run against
// every backend (fleet-store.test.ts: memory + book-outbox.json; fleet-store-pg.test.ts: PostgreSQL).
// `place()` is a fresh, empty location; `open` opens a store on it (again: a restarted hub).

export interface FleetPlace {
  open(o: { now: () => number; refusedKeepMs?: number }): Promise<FleetStore>;
}

const { updatedAt: _u, ...entry } = sampleBook('denunciation');
export const bookEntry = entry;
export const report = (acks: RoomReport['acks'] = [], over: Record<string, unknown> = {}): RoomReport =>
  ({ ...bareReport(over), ...(acks.length ? { acks } : {}) }) as RoomReport;

export function describeFleetStoreContract(backend: string, place: () => Promise<FleetPlace>) {
  describe(`fleet store contract (${backend})`, () => {
    it("keeps each room's last report: health with its age and staleness, the rows /metrics reads", async () => {
      let t = Date.parse('2026-03-01T08:00:00Z');
      const fleet = await (await place()).open({ now: () => t });
      expect(fleet.health('room-a')).toBeNull();
      const alarm = { reason: 'disk-full', since: new Date(t).toISOString(), message: 'đĩa đầy / disk full' };
      await fleet.report('room-a', report([], { reportSeconds: 20, recording: { state: 'failed', hearing: null, segments: 0, alarm } }));
      await fleet.report('room-b', report());
      t += 59_000;
      expect(fleet.health('room-a')).toMatchObject({ ageS: 59, stale: false, reportSeconds: 20, receivedAt: '2026-03-01T08:00:00.000Z' });
      expect(fleet.health('room-b')).toMatchObject({ ageS: 59, stale: true }); // 3 × 10 s < 59 s
      expect(Object.fromEntries(fleet.ages())).toEqual({ 'room-a': 59, 'room-b': 59 });
      expect(Object.fromEntries(fleet.recordingAlarms())).toEqual({ 'room-a': alarm, 'room-b': null });
      await fleet.report('room-b', report([], { version: '0.2.0' }));
      expect(fleet.health('room-b')).toMatchObject({ ageS: 0, stale: false, version: '0.2.0' });
    });

    it('a book entry is pending and handed over with every report until acked; an ack of an older version is ignored', async () => {
      let t = Date.parse('2026-03-01T08:00:00Z');
      const p = await place();
      const fleet = await p.open({ now: () => t });
      const v1 = await fleet.putBook('h1', 'room-a', entry);
      expect(v1).toMatchObject({
        hearing: 'h1',
        room: 'room-a',
        version: 1,
        state: 'pending',
        deliveredAt: null,
        error: null,
        sha256: null,
      });
      expect((await fleet.report('room-b', report())).book).toEqual([]);
      t += 1000;
      const out = await fleet.report('room-a', report());
      expect(out.book).toEqual([{ hearing: 'h1', entry, version: 1 }]);
      expect((await fleet.getBook('h1', 'room-a'))?.deliveredAt).toBe(new Date(t).toISOString());
      const v2 = await fleet.putBook('h1', 'room-a', { ...entry, summary: 'sửa / corrected' });
      expect(v2.version).toBe(2);
      const late = await fleet.report('room-a', report([{ hearing: 'h1', version: 1, ok: true, sha256: 'a'.repeat(64) }]));
      expect(late.applied).toBe(0);
      expect(late.book.map((b) => b.version)).toEqual([2]);
      const acked = await fleet.report('room-a', report([{ hearing: 'h1', version: 2, ok: true, sha256: 'b'.repeat(64) }]));
      expect(acked).toMatchObject({ applied: 1, book: [] });
      await fleet.saved();
      const again = await p.open({ now: () => t }); // a restarted hub: the outbox survives, the citizen does not
      expect(await again.getBook('h1', 'room-a')).toMatchObject({
        state: 'written',
        version: 2,
        sha256: 'b'.repeat(64),
        entry: { citizen: null },
      });
      expect((await again.getBook('h1', 'room-a'))?.entry.summary).toBe('sửa / corrected');
      expect(await again.getBook('h1', 'room-zz')).toBeUndefined();
    });

    it("a refused entry keeps the room's reason, and the citizen only for refusedKeepMs", async () => {
      let t = Date.parse('2026-03-01T08:00:00Z');
      const p = await place();
      const fleet = await p.open({ now: () => t, refusedKeepMs: 3_600_000 });
      await fleet.putBook('h1', 'room-a', entry);
      await fleet.report('room-a', report([{ hearing: 'h1', version: 1, ok: false, error: '409 HEARING_CLOSED: closed' }]));
      expect(await fleet.getBook('h1', 'room-a')).toMatchObject({
        state: 'failed',
        error: '409 HEARING_CLOSED: closed',
        entry: { citizen: entry.citizen },
      });
      expect((await fleet.report('room-a', report())).book).toEqual([]); // not handed over again
      t += 3_600_001;
      const purged = await fleet.getBook('h1', 'room-a');
      expect(purged).toMatchObject({
        state: 'failed',
        error: '409 HEARING_CLOSED: closed',
        entry: { citizen: null },
        purgedAt: new Date(t).toISOString(),
      });
      await fleet.saved();
      expect((await (await p.open({ now: () => t })).getBook('h1', 'room-a'))?.entry.citizen).toBeNull();
    });
  });
}
