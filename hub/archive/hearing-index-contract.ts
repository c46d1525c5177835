import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearingIndex, Indexes } from './hearing-index.js';

// One behaviour for every place the archive's indexes live (beside the files: hearing-index-file.test.ts;
// PostgreSQL: hearing-index-pg.test.ts). `open()` is a hub (re)starting on the same place.

export interface IndexBackend {
  open(): Promise<Indexes>;
  /** Where the recordings go (the file backend keeps its indexes there too). */
  dir: string;
  remove(): Promise<void>;
}

const receipt = { v: 1 } as unknown as HearingIndex['files'][string]['receipt']; // opaque to the index
const file = (bytes: number) => ({ sha256: 'ab'.repeat(32), bytes, receivedAt: '2026-12-03T10:00:00.000Z', receipt });
const at = (i: HearingIndex, createdAt: string): HearingIndex => ({ ...i, createdAt });

export function describeIndexesContract(name: string, backend: () => Promise<IndexBackend>) {
  describe(`archive index contract: ${name}`, () => {
    let b: IndexBackend;
    let idx: Indexes;
    beforeAll(async () => {
      b = await backend();
      idx = await b.open();
    });
    afterAll(() => b?.remove());

    it('saves and loads an index whole; unknown hearings are undefined', async () => {
      expect(await idx.load('hearing-none')).toBeUndefined();
      const i = idx.fresh('hearing-aaaaaaaaaaaaaaaaaaaa', 'room-a');
      expect(i).toMatchObject({ v: 1, hearing: 'hearing-aaaaaaaaaaaaaaaaaaaa', room: 'room-a', files: {}, uploads: {} });
      i.uploads['seg-00001.ts'] = { length: 10, sha256: 'cd'.repeat(32), startedAt: '2026-12-03T10:00:00.000Z' };
      await idx.save(i);
      expect(await idx.load(i.hearing)).toEqual(i);
      delete i.uploads['seg-00001.ts'];
      i.files['seg-00001.ts'] = file(10);
      await idx.save(i);
      expect(await (await b.open()).load(i.hearing)).toEqual(i); // a restarted hub reads the same
    });

    it('lists newest first with room, file count and bytes', async () => {
      const older = at(idx.fresh('hearing-bbbbbbbbbbbbbbbbbbbb', 'room-b'), '2026-01-01T00:00:00.000Z');
      older.files['a.ts'] = file(100);
      older.files['b.ts'] = file(23);
      const newer = at(idx.fresh('hearing-cccccccccccccccccccc', 'room-c'), '2026-06-01T00:00:00.000Z');
      await idx.save(older);
      await idx.save(newer);
      const list = (await idx.list())
        .filter((s) => s.hearing !== 'hearing-aaaaaaaaaaaaaaaaaaaa')
        .map(({ version: _v, stamp: _s, ...s }) => s);
      expect(list).toEqual([
        { hearing: newer.hearing, room: 'room-c', createdAt: newer.createdAt, files: 0, bytes: 0 },
        { hearing: older.hearing, room: 'room-b', createdAt: older.createdAt, files: 2, bytes: 123 },
      ]);
    });

    it('keeps a listing line with the index across a restart; the stamp moves with every change, even one of the same files and bytes', async () => {
      const h = 'hearing-gggggggggggggggggggg';
      const i = idx.fresh(h, 'room-g');
      await idx.save(i);
      const stampOf = async (x: Indexes) => (await x.list()).find((s) => s.hearing === h)!.stamp;
      const first = await stampOf(idx);
      const stored = { v: 'test', of: first, keyRoom: 'room-g', registry: 'r1', line: { state: 'verified' } };
      await idx.saveLines([{ hearing: h, stored }]);
      const again = await b.open(); // a restarted hub, or another node
      expect(await stampOf(again)).toBe(first);
      expect((await again.loadLines([h, 'hearing-none'])).get(h)).toEqual(stored);
      expect((await (await b.open()).list(true)).find((s) => s.hearing === h)?.line).toEqual(stored); // a cold start's one read
      i.uploads['seg-00001.ts'] = { length: 1, sha256: 'ef'.repeat(32), startedAt: '2026-12-03T10:00:00.000Z' };
      await idx.save(i); // files and bytes unchanged: the stamp must still move
      expect(await stampOf(await b.open())).not.toBe(first);
      const after = (await (await b.open()).list(true)).find((s) => s.hearing === h)!;
      expect(after.line === undefined || after.line.of !== after.stamp).toBe(true); // emptied, or naming the older index
    });

    it('locked() serializes read-modify-write: 20 concurrent additions all land', async () => {
      const h = 'hearing-dddddddddddddddddddd';
      await idx.save(idx.fresh(h, 'room-d'));
      const add = (n: number) =>
        idx.locked(h, async () => {
          const i = (await idx.load(h))!;
          i.files[`seg-${n}.ts`] = file(n);
          await idx.save(i);
        });
      await Promise.all(Array.from({ length: 20 }, (_, n) => add(n)));
      expect(Object.keys((await idx.load(h))!.files)).toHaveLength(20);
      await expect(idx.locked(h, async () => Promise.reject(new Error('refused part')))).rejects.toThrow('refused part');
      expect(await idx.locked(h, async () => 'next one runs')).toBe('next one runs'); // a failure does not block the hearing
    });
  });
}
