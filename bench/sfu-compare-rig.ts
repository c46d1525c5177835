// What bench/sfu-compare.ts needs from either media plane (the hub's werift SFU, Janus VideoRoom).
import type { SeqLoss } from './sfu-compare-loss.js';

export interface Rig {
  /** The process doing the forwarding: its CPU is the figure. */
  sfuPid: number;
  legsWanted: number;
  /** Feed one RTP packet (from the shared encoders) into every publisher. */
  publishers: { write(kind: 'video' | 'audio', packet: Buffer): void }[];
  /** One entry per subscribed leg whose tracks are up: [video, audio] sequence counters (either order). */
  legs(): SeqLoss[][];
  close(): Promise<void>;
}
