import { EventEmitter } from 'node:events';
import type { Health } from '../../../common/lifecycle.js';
import type { ChannelState, MeterReading } from '../../drivers/dsp/dsp-driver.js';

// What the daemon tells its listeners (the events WebSocket, later the kiosk and the uploader).
export interface DaemonEvents {
  device: [{ device: string; kind: 'camera' | 'audio'; health: Health }];
  meter: [MeterReading];
  channel: [ChannelState];
  ptz: [{ camera: string; action: string; by: string }];
}

export type EventBus = EventEmitter<DaemonEvents>;

export function createEventBus(): EventBus {
  const bus = new EventEmitter<DaemonEvents>();
  bus.setMaxListeners(100); // one listener per connected WebSocket client
  return bus;
}
