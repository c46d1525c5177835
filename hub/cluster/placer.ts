import type { ClusterStore, NodeInfo, Placement } from './cluster-store.js';

// Where a hearing's media goes: the least-loaded live node. Load is first the hearings already placed on a
// node (a new hearing's legs appear only seconds after it is placed, so two hearings started together would
// otherwise land on the same empty node), then its open legs, then its CPU. A placement on a dead node is
// taken over the same way; the store's compare-and-set makes racing nodes agree on one winner.

export function leastLoaded(nodes: NodeInfo[], placements: Placement[]): NodeInfo | undefined {
  const hearings = new Map<string, number>();
  for (const p of placements) hearings.set(p.node, (hearings.get(p.node) ?? 0) + 1);
  const live = nodes.filter((n) => n.alive);
  const key = (n: NodeInfo) => [hearings.get(n.id) ?? 0, n.legs, n.cpu];
  return live.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.id.localeCompare(b.id);
  })[0];
}

/**
 * The live node holding `hearing`, placing it (or placing it again, its node dead) when needed.
 * Undefined when no node is alive. A lost race is re-read, a few times at most.
 */
export async function placeHearing(store: ClusterStore, hearing: string, suspect: (node: string) => boolean = () => false) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [all, placements] = await Promise.all([store.nodes(), store.placements()]);
    // a suspected node (it refused a forwarded connection: nothing listens there) counts as dead here already
    const nodes = all.map((n) => (suspect(n.id) ? { ...n, alive: false } : n));
    const current = placements.find((p) => p.hearing === hearing);
    const holder = current && nodes.find((n) => n.id === current.node && n.alive);
    if (holder) return holder;
    // the dead node's hearings do not count against it: they are all about to move
    const target = leastLoaded(
      nodes,
      placements.filter((p) => nodes.some((n) => n.id === p.node && n.alive)),
    );
    if (!target) return undefined;
    if (await store.claim(hearing, current?.node ?? null, target.id)) return target;
  }
  return undefined;
}
