import { EventEmitter } from 'node:events';
import type { Health } from '../../../common/lifecycle.js';
import type { ChannelState, MeterReading } from '../../drivers/dsp/dsp-driver.js';
import type { VideoSource } from '../../drivers/media/worker-protocol.js';
import type { GatewayLinkSummary } from '../gateway-link/gateway-link.js';

/** The media worker: source switches, worker restarts, pipeline errors, and 1 s stats. */
export type MediaEvent =
  | { kind: 'source'; source: VideoSource; reason: string }
  | { kind: 'restart'; restarts: number; reason: string; delayMs: number }
  | { kind: 'error'; element: string; message: string }
  | { kind: 'stats'; fps: number; bitrateKbps: number; source: VideoSource; packetsOut: number };

// What the daemon tells its listeners (the events WebSocket, later the kiosk and the uploader).
export interface DaemonEvents {
  device: [{ device: string; kind: 'camera' | 'audio' | 'media'; health: Health }];
  meter: [MeterReading];
  channel: [ChannelState];
  ptz: [{ camera: string; action: string; by: string }];
  media: [MediaEvent];
  /** The gateway's link to the hub changed state ('down' when the gateway process does not answer). */
  gateway: [GatewayLinkSummary];
}

export type EventBus = EventEmitter<DaemonEvents>;

export function createEventBus(): EventBus {
  const bus = new EventEmitter<DaemonEvents>();
  bus.setMaxListeners(100); // one listener per connected WebSocket client
  return bus;
}
