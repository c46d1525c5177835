import { describe, expect, it } from 'vitest';
import type { RolloutTargets } from '../rollout-targets.js';

// One contract for the rollout's targets, run against rollout.json (rollout-targets-file.test.ts) and
// PostgreSQL (rollout-targets-pg.test.ts). `open()` twice is a restart of the hub, or a second node.

export interface RolloutTargetsPlace {
  open(): Promise<RolloutTargets>;
}

export function describeRolloutTargetsContract(name: string, make: () => Promise<RolloutTargetsPlace>) {
  describe(`rollout targets (${name})`, () => {
    it('keeps each room’s target; a reopened store has them; clear forgets only the rooms named', async () => {
      const place = await make();
      const a = await place.open();
      await a.set({ version: '1.2.0', setAt: '2026-03-01T08:00:00.000Z', by: 'kỹ thuật' }, ['room-a', 'room-b']);
      expect(a.get('room-a')).toEqual({ version: '1.2.0', setAt: '2026-03-01T08:00:00.000Z', by: 'kỹ thuật' });
      expect(Object.keys(a.all()).sort()).toEqual(['room-a', 'room-b']);
      await a.clear(['room-a']);
      await a.flush();
      await a.close();
      const b = await place.open();
      expect(b.get('room-a')).toBeUndefined();
      expect(b.all()).toEqual({ 'room-b': { version: '1.2.0', setAt: '2026-03-01T08:00:00.000Z', by: 'kỹ thuật' } });
      await b.close();
    });

    it('setting again is a new attempt: the latest setAt and author win; other rooms keep theirs', async () => {
      const place = await make();
      const a = await place.open();
      await a.set({ version: '1.2.0', setAt: '2026-03-01T08:00:00.000Z', by: 'an' }, ['room-a', 'room-c']);
      await a.set({ version: '1.2.0', setAt: '2026-03-01T09:30:00.000Z', by: 'bình' }, ['room-a']);
      await a.flush();
      const b = await place.open();
      expect(b.get('room-a')).toEqual({ version: '1.2.0', setAt: '2026-03-01T09:30:00.000Z', by: 'bình' });
      expect(b.get('room-c')?.setAt).toBe('2026-03-01T08:00:00.000Z');
      const copy = b.all();
      copy['room-a']!.version = 'changed by a caller';
      expect(b.get('room-a')?.version).toBe('1.2.0'); // all() is a copy
      await Promise.all([a.close(), b.close()]);
    });
  });
}
