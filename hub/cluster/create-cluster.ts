import type { Logger } from '../../common/log.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import type { Conference } from '../sfu/conference.js';
import type { ClusterConfig } from './cluster-config.js';
import type { ClusterStore, NodeInfo, Placement } from './cluster-store.js';
import { createLoadSampler } from './node-load.js';
import { placeHearing } from './placer.js';

// One node of a hub cluster: its heartbeat, the placement of hearings (every node places what has no live
// holder; the store's compare-and-set picks one winner), and the rule that a hearing's participants are
// connected to its holder only — anyone connected here for a hearing held elsewhere is told MOVED and
// reconnects (through the same public URL: the routing hook sends it on to the holder, cluster-routing.ts).

export interface ClusterDeps {
  config: ClusterConfig;
  store: ClusterStore;
  hearings: Pick<HearingStore, 'list' | 'find' | 'activeOf' | 'events'>;
  conference: Pick<Conference, 'legs' | 'members' | 'leave'>;
  logger: Logger;
  /** After each tick (the routing cuts its stale tunnels). */
  afterTick?: () => void;
}

export const MOVED = 'MOVED';

export function createCluster(deps: ClusterDeps) {
  const { config, store, logger } = deps;
  const self = config.nodeId;
  const sample = createLoadSampler(deps.conference);
  let nodes: NodeInfo[] = [];
  let placements = new Map<string, Placement>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let storeDown = false;
  let stopped = false;
  const onHearingChange = () => void kick(); // a hearing started here is placed at once

  // Nodes that refused a forwarded connection (nothing listens at their advertiseUrl: the process is gone) are
  // taken as dead by this node at once, for deadAfterMs — by then the store agrees, or the node beats again.
  const suspects = new Map<string, number>();
  const suspected = (id: string) => (suspects.get(id) ?? 0) > Date.now();
  const liveNode = (id: string | undefined) => nodes.find((n) => n.id === id && n.alive && !suspected(n.id));
  /** The live node holding the hearing, from the last look at the store (undefined: not placed, or its node dead). */
  const holderOf = (hearing: string) => liveNode(placements.get(hearing)?.node);

  async function refresh() {
    [nodes, placements] = await Promise.all([store.nodes(), store.placements().then((ps) => new Map(ps.map((p) => [p.hearing, p])))]);
  }

  /** Active hearings without a live holder are placed; ended ones are released. */
  async function reconcile() {
    for (const h of deps.hearings.list()) {
      const p = placements.get(h.id);
      if (h.state === 'ended') {
        if (p) await store.release(h.id);
      } else if (!holderOf(h.id)) {
        const to = await placeHearing(store, h.id, suspected);
        if (to)
          logger.info({ hearing: h.id, node: to.id, from: p?.node }, p ? 'hearing placed again (its node is dead)' : 'hearing placed');
      }
    }
    await refresh();
  }

  /** Participants here whose hearing is held by another live node: told MOVED, then let go. */
  function enforce() {
    for (const m of deps.conference.members()) {
      const hearing = m.info.kind === 'room' ? deps.hearings.activeOf(m.info.id)?.id : m.hearing;
      const holder = hearing ? holderOf(hearing) : undefined;
      if (!holder || holder.id === self) continue;
      logger.info({ participant: m.info.id, hearing, node: holder.id }, 'participant sent to the node holding its hearing');
      m.send({
        type: 'error',
        code: MOVED,
        fatal: true,
        message: `phiên họp do nút khác phục vụ, hãy kết nối lại / the hearing is held by another node: reconnect (node ${holder.id})`,
      });
      deps.conference.leave(m as Parameters<Conference['leave']>[0]);
    }
  }

  async function tick() {
    try {
      await store.heartbeat({ id: self, url: config.advertiseUrl, ...sample() });
      await refresh();
      await reconcile();
      if (storeDown) logger.info('cluster store reachable again');
      storeDown = false;
    } catch (err) {
      if (!storeDown) logger.error({ err }, 'CLUSTER STORE UNREACHABLE: hearings are not placed until it answers');
      storeDown = true;
    }
    if (!storeDown) enforce(); // never on a stale view of who is alive
    deps.afterTick?.();
  }

  /** One tick at a time; a request for another while one runs makes one more run after it. */
  function kick(): Promise<void> {
    if (stopped) return Promise.resolve(); // a beat after the sign-off would bring this node back as alive
    if (running) {
      again = true;
      return running;
    }
    running = tick().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void kick();
      }
    });
    return running;
  }

  return {
    nodeId: self,
    holderOf,
    nodes: () => nodes,
    /** The last look at the store: nodes and placements. */
    view: () => ({ nodes, placements: [...placements.values()] }),
    /** The hearing's live holder, placing it now if it has none (a participant arriving before the next tick). */
    async holderNow(hearing: string): Promise<NodeInfo | undefined> {
      const known = holderOf(hearing);
      if (known) return known;
      if (deps.hearings.find(hearing)?.state !== 'active') return undefined;
      const to = await placeHearing(store, hearing, suspected).catch(() => undefined);
      await refresh().catch(() => {});
      return to;
    },
    /** A node refused a forwarded connection: its hearings are placed again now, not after deadAfterMs. */
    suspect(node: string) {
      if (node === self || suspected(node)) return;
      suspects.set(node, Date.now() + config.deadAfterMs);
      logger.warn({ node }, 'node refused a forwarded connection: taken as dead, its hearings placed again');
      void kick();
    },
    async start() {
      await kick(); // first beat at once (fastify runs onListen without holding requests back: one arriving before it is routed by holderNow)
      timer = setInterval(() => void kick(), config.heartbeatMs);
      deps.hearings.events.on('changed', onHearingChange);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      deps.hearings.events.off('changed', onHearingChange);
      await running;
      await store.leave(self).catch((err) => logger.warn({ err }, 'cluster: could not sign off (the others wait deadAfterMs)'));
      await store.close();
    },
    tick: kick,
  };
}
export type Cluster = ReturnType<typeof createCluster>;
