import { describe, expect, it } from 'vitest';
import { until } from '../../../tests/helpers/until.js';
import type { ClusterStore, ClusterStoreOptions, NodeBeat } from '../cluster-store.js';
import { placeHearing } from '../placer.js';

// One behaviour for every cluster store backend (hub/store/README.md: one suite, run against each).
// `make` gives a fresh, empty store; the suite closes it.

const beat = (id: string, over: Partial<NodeBeat> = {}): NodeBeat => ({
  id,
  url: `http://${id}.internal:8090`,
  legs: 0,
  cpu: 0,
  rooms: [],
  ...over,
});

export function describeClusterStoreContract(name: string, make: (o: ClusterStoreOptions) => Promise<ClusterStore>) {
  const withStore = async (deadAfterMs: number, fn: (s: ClusterStore) => Promise<void>) => {
    const s = await make({ deadAfterMs });
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  describe(`cluster store contract: ${name}`, () => {
    it('a heartbeat makes a live node with its URL, load and connected rooms; a later beat updates it', () =>
      withStore(60_000, async (s) => {
        await s.heartbeat(beat('a', { legs: 4, cpu: 0.25, rooms: [{ id: 'room-1', publishing: false }] }));
        await s.heartbeat(
          beat('a', {
            legs: 6,
            cpu: 0.5,
            rooms: [
              { id: 'room-1', publishing: true },
              { id: 'phòng-2', publishing: false },
            ],
          }),
        );
        const nodes = await s.nodes();
        expect(nodes).toHaveLength(1);
        expect(nodes[0]).toMatchObject({ id: 'a', url: 'http://a.internal:8090', legs: 6, cpu: 0.5, alive: true });
        expect(nodes[0]!.rooms).toEqual([
          { id: 'room-1', publishing: true },
          { id: 'phòng-2', publishing: false },
        ]);
        expect(nodes[0]!.ageMs).toBeGreaterThanOrEqual(0);
      }));

    it('a node that stops beating is dead after deadAfterMs, alive again with its next beat', () =>
      withStore(300, async (s) => {
        await s.heartbeat(beat('a'));
        await until('node a dead', 10_000, async () => (await s.nodes()).find((n) => n.id === 'a')?.alive === false);
        await s.heartbeat(beat('a'));
        expect((await s.nodes())[0]!.alive).toBe(true);
      }));

    it('claim is a compare-and-set on the current holder; each move adds one to the epoch', () =>
      withStore(60_000, async (s) => {
        expect(await s.claim('h1', null, 'a')).toBe(true);
        expect(await s.claim('h1', null, 'b')).toBe(false); // someone holds it already
        expect(await s.claim('h1', 'b', 'c')).toBe(false); // not b's
        expect(await s.claim('h1', 'a', 'b')).toBe(true);
        expect(await s.placements()).toEqual([{ hearing: 'h1', node: 'b', epoch: 2 }]);
        await s.release('h1');
        expect(await s.placements()).toEqual([]);
      }));

    it('racing claims on a hearing: exactly one wins', () =>
      withStore(60_000, async (s) => {
        const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => s.claim('h-race', null, `n${i}`)));
        expect(wins.filter(Boolean)).toHaveLength(1);
        const winner = `n${wins.indexOf(true)}`;
        expect(await s.placements()).toEqual([{ hearing: 'h-race', node: winner, epoch: 1 }]);
      }));

    it('leave removes the node and frees its placements, not the others', () =>
      withStore(60_000, async (s) => {
        await s.heartbeat(beat('a'));
        await s.heartbeat(beat('b'));
        await s.claim('h1', null, 'a');
        await s.claim('h2', null, 'b');
        await s.leave('a');
        expect((await s.nodes()).map((n) => n.id)).toEqual(['b']);
        expect(await s.placements()).toEqual([{ hearing: 'h2', node: 'b', epoch: 1 }]);
      }));

    it('placement: least hearings first, then fewest legs; a live holder keeps its hearing', () =>
      withStore(60_000, async (s) => {
        await s.heartbeat(beat('a', { legs: 10 }));
        await s.heartbeat(beat('b', { legs: 2 }));
        expect((await placeHearing(s, 'h1'))?.id).toBe('b'); // fewer legs
        expect((await placeHearing(s, 'h2'))?.id).toBe('a'); // b holds a hearing now
        expect((await placeHearing(s, 'h1'))?.id).toBe('b'); // already placed: stays
      }));

    it('a dead node’s hearing goes to a live node, and racing placers agree on it', () =>
      withStore(1000, async (s) => {
        await s.heartbeat(beat('a'));
        await s.claim('h1', null, 'a');
        // b keeps beating (every 100 ms: a loaded box must not make it look dead too), a has died
        const beats = setInterval(() => void s.heartbeat(beat('b')).catch(() => {}), 100);
        try {
          await s.heartbeat(beat('b'));
          await until('node a dead', 10_000, async () => (await s.nodes()).find((n) => n.id === 'a')?.alive === false);
          const placed = await Promise.all([placeHearing(s, 'h1'), placeHearing(s, 'h1'), placeHearing(s, 'h1')]);
          expect(placed.map((n) => n?.id)).toEqual(['b', 'b', 'b']);
          expect(await s.placements()).toEqual([{ hearing: 'h1', node: 'b', epoch: 2 }]);
        } finally {
          clearInterval(beats);
        }
      }));

    it('no live node: nothing is placed', () =>
      withStore(60_000, async (s) => {
        expect(await placeHearing(s, 'h1')).toBeUndefined();
        expect(await s.placements()).toEqual([]);
      }));
  });
}
