import type { ClusterStore, ClusterStoreOptions, NodeBeat, Placement } from './cluster-store.js';

// The in-memory backend: one process (the default hub, and the contract suite's reference). Every method is
// atomic because JavaScript runs one call at a time; `now` is injectable for the contract's dead-node cases.

export function createMemoryClusterStore(opts: ClusterStoreOptions & { now?: () => number }): ClusterStore {
  const now = opts.now ?? Date.now;
  const nodes = new Map<string, NodeBeat & { seenAt: number }>();
  const placements = new Map<string, Placement>();
  return {
    async heartbeat(beat) {
      nodes.set(beat.id, { ...structuredClone(beat), seenAt: now() });
    },
    async nodes() {
      const t = now();
      return [...nodes.values()].map(({ seenAt, ...b }) => ({
        ...structuredClone(b),
        ageMs: t - seenAt,
        alive: t - seenAt <= opts.deadAfterMs,
      }));
    },
    async leave(nodeId) {
      nodes.delete(nodeId);
      for (const [h, p] of placements) if (p.node === nodeId) placements.delete(h);
    },
    async placements() {
      return [...placements.values()].map((p) => ({ ...p }));
    },
    async claim(hearing, expected, node) {
      const cur = placements.get(hearing);
      if ((cur?.node ?? null) !== expected) return false;
      placements.set(hearing, { hearing, node, epoch: (cur?.epoch ?? 0) + 1 });
      return true;
    },
    async release(hearing) {
      placements.delete(hearing);
    },
    async close() {},
  };
}
