import { describe, expect, it } from 'vitest';
import { until } from '../../../tests/helpers/until.js';
import type { CommissioningStore } from '../commissioning-store.js';

// The commissioning store's contract, run against both backends (commissioning-store.test.ts: the state
// dir; commissioning-store-pg.test.ts: PostgreSQL). Each `open` is one more store on one fresh place: a
// restarted hub, or another hub node.

export interface CommissioningPlace {
  open(): Promise<CommissioningStore>;
}

const upload = (state: 'commissioned' | 'failed', html: string) => ({
  state,
  at: '2026-03-01T08:00:00Z',
  checks: [
    { step: 'cameras', name: 'Camera / máy quay', result: 'pass' as const, figure: '1280×720' },
    { step: 'dsp', name: 'DSP', result: state === 'failed' ? ('fail' as const) : ('pass' as const), figure: '' },
  ],
  html,
});

export function describeCommissioningContract(backend: string, place: () => Promise<CommissioningPlace>) {
  describe(`commissioning store contract (${backend})`, () => {
    it("keeps each room's last report with its checks and its HTML; another store on the place sees it", async () => {
      const p = await place();
      const store = await p.open();
      expect(await store.save('room-b', upload('failed', '<p>lần 1</p>'))).toMatchObject({
        room: 'room-b',
        state: 'failed',
        checksPassed: 1,
        checksFailed: 1,
      });
      await store.save('room-a', upload('commissioned', '<p>Phòng A</p>'));
      await store.save('room-b', upload('commissioned', '<p>lần 2</p>'));
      const other = await p.open();
      await until('the other store to list both rooms', 10_000, () => other.list().length === 2);
      expect(other.list()).toEqual([
        expect.objectContaining({
          room: 'room-a',
          state: 'commissioned',
          checksPassed: 2,
          checksFailed: 0,
          reportUrl: expect.stringContaining('/room-a/'),
        }),
        expect.objectContaining({ room: 'room-b', state: 'commissioned', checksPassed: 2 }),
      ]);
      expect(await other.reportHtml('room-b')).toBe('<p>lần 2</p>');
      expect(await other.reportHtml('room-zz')).toBeUndefined();
    });

    it("a room's declared self-tests count as its hearings (the newest 20), for every store on the place", async () => {
      const p = await place();
      const store = await p.open();
      for (let i = 0; i < 22; i++) await store.addSelfTest('room-a', `local-2026030108${String(i).padStart(2, '0')}Z`);
      await store.addSelfTest('room-a', 'local-202603010821Z'); // declared again: no change
      expect(store.tookPart('local-202603010821Z', 'room-a')).toBe(true);
      expect(store.tookPart('local-202603010821Z', 'room-b')).toBe(false);
      expect(store.tookPart('local-202603010801Z', 'room-a')).toBe(false); // the oldest two were dropped
      expect(store.tookPart('local-202603010802Z', 'room-a')).toBe(true);
      const other = await p.open();
      await until('the other store to know the self-tests', 10_000, () => other.tookPart('local-202603010821Z', 'room-a'));
    });
  });
}
