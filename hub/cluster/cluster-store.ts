// The shared state of a hub cluster: which nodes are alive (their heartbeats) and which node holds each
// hearing's media (placements). Two backends meet one contract (cluster-store.contract.ts): in memory (one
// process; the contract's reference) and PostgreSQL (several nodes, pg-cluster-store.ts). Liveness is judged
// by the store's own clock (PostgreSQL's now()), so the nodes' clocks never have to agree.

/** What a node says about itself every heartbeat. */
export interface NodeBeat {
  id: string;
  /** Where other nodes reach this one (internal forwarding), e.g. http://10.0.0.5:8090. */
  url: string;
  /** Open WebRTC legs on this node (publish + subscribe + WHEP). */
  legs: number;
  /** Share of one core this node's process used since its last beat (0.35 = 35 %). */
  cpu: number;
  /** Rooms whose gateway is connected to this node (wherever their hearing is), and whether each publishes. */
  rooms: RoomPresence[];
}

export interface RoomPresence {
  id: string;
  publishing: boolean;
}

export interface NodeInfo extends NodeBeat {
  /** Milliseconds since its last beat, by the store's clock. */
  ageMs: number;
  alive: boolean;
}

export interface Placement {
  hearing: string;
  node: string;
  /** Grows by one each time the hearing moves to another node. */
  epoch: number;
}

export interface ClusterStore {
  /** Upserts the node's row; its last-seen time becomes the store's now. */
  heartbeat(beat: NodeBeat): Promise<void>;
  /** Every node known, alive or not (alive: a beat within deadAfterMs). */
  nodes(): Promise<NodeInfo[]>;
  /** A clean shutdown: the node's row goes, its placements are freed for the others to take at once. */
  leave(nodeId: string): Promise<void>;
  placements(): Promise<Placement[]>;
  /**
   * Compare-and-set: the hearing goes to `node` only if its current holder is still `expected`
   * (null: no placement yet). True when this call won; two racing calls with the same `expected` → one wins.
   */
  claim(hearing: string, expected: string | null, node: string): Promise<boolean>;
  /** The hearing ended: its placement goes. */
  release(hearing: string): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterStoreOptions {
  /** A node whose last beat is older than this is dead; its hearings are placed again. */
  deadAfterMs: number;
}
