import { EventEmitter } from 'node:events';
import type { Health } from '../../../common/lifecycle.js';
import type { ChannelState, MeterReading } from '../../drivers/dsp/dsp-driver.js';
import type { VideoSource } from '../../drivers/media/worker-protocol.js';
import type { GatewayLinkSummary } from '../../../common/contracts/daemon-api/health.js';

/** The media worker: source switches, worker restarts, pipeline errors, and 1 s stats. */
export type MediaEvent =
  | { kind: 'source'; source: VideoSource; reason: string }
  | { kind: 'restart'; restarts: number; reason: string; delayMs: number }
  | { kind: 'error'; element: string; message: string }
  | { kind: 'stats'; fps: number; bitrateKbps: number; source: VideoSource; packetsOut: number };

/** The room's current hearing started, resumed (daemon restart) or ended. */
export interface HearingEvent {
  kind: 'started' | 'resumed' | 'ended';
  hearing: { id: string; title: string; source: 'hub' | 'local'; startedAt: string };
  reason: string;
}

/** The recorder: segments entered in the manifest, gaps, alarms (disk full), open/close. */
export type RecordingEvent =
  | { kind: 'open' | 'close'; hearing: string; dir: string }
  | { kind: 'segment'; hearing: string; file: string; durationMs: number; bytes: number }
  | { kind: 'gap'; hearing: string; reason: string; start: string; end: string }
  | { kind: 'alarm'; hearing: string; reason: string; message: string }
  | { kind: 'alarm-cleared'; hearing: string; reason: string };

/** Something an operator must act on (uploads refused, disk filling up); `active: false` clears it. */
export interface AlarmEvent {
  source: 'uploader' | 'retention';
  code: string;
  message: string;
  active: boolean;
  /** Disk pressure: minutes of recording left at the recent byte rate. */
  minutesLeft?: number;
  /** Upload refused: the file it is about (`<hearing>/<file>`) — one alarm per file. */
  file?: string;
  /** Upload refused: the hub's error code (ALREADY_ARCHIVED, MANIFEST_INVALID…). */
  hubCode?: string;
}

/** The uploader's backlog (files not yet receipted by the hub). */
export interface UploaderEvent {
  state: 'idle' | 'uploading' | 'waiting' | 'stopped';
  backlogFiles: number;
  backlogBytes: number;
  oldestAgeS: number;
  lastError?: string;
}

// What the daemon tells its listeners (the events WebSocket, later the kiosk and the uploader).
export interface DaemonEvents {
  device: [{ device: string; kind: 'camera' | 'audio' | 'media'; health: Health }];
  meter: [MeterReading];
  channel: [ChannelState];
  ptz: [{ camera: string; action: string; by: string }];
  media: [MediaEvent];
  /** The gateway's link to the hub changed state ('down' when the gateway process does not answer). */
  gateway: [GatewayLinkSummary];
  hearing: [HearingEvent];
  recording: [RecordingEvent];
  uploader: [UploaderEvent];
  alarm: [AlarmEvent];
}

export type EventBus = EventEmitter<DaemonEvents>;

export function createEventBus(): EventBus {
  const bus = new EventEmitter<DaemonEvents>();
  bus.setMaxListeners(100); // one listener per connected WebSocket client
  return bus;
}
