// The IPC between the daemon and its media worker (child_process.fork, JSON messages).
// Shared by both sides so a change breaks the build, not the room.

export const VIDEO_SOURCES = ['primary', 'backup', 'slate'] as const;
export type VideoSource = (typeof VIDEO_SOURCES)[number];
export const SELECTIONS = [...VIDEO_SOURCES, 'auto'] as const;
export type Selection = (typeof SELECTIONS)[number];

export interface WorkerSettings {
  /** Room name, shown on the slate under the text. */
  roomName: string;
  slateText: string;
  /** RTSP URIs; null when there is no such camera (then the slate covers). */
  primaryUri: string | null;
  backupUri: string | null;
  audioSource: 'camera' | 'alsa' | 'test';
  alsaDevice: string;
  transcode: 'auto' | 'always' | 'never';
  lossTimeoutMs: number;
  host: string;
  videoRtpPort: number;
  audioRtpPort: number;
  /** The worker leaves (and is restarted fresh) past this RSS: rebuilt ingest pipelines leak natively. */
  maxRssMb: number;
}

export type DaemonToWorker =
  | ({ type: 'start' } & WorkerSettings)
  | { type: 'select'; source: Selection }
  | { type: 'keyframe' }
  | { type: 'stop' };

export interface SourceLiveness {
  alive: boolean;
  /** ms since the last frame; null before the first one. */
  lastFrameAgoMs: number | null;
  fps: number;
  /** 'passthrough' | 'transcode' once the first caps are known. */
  mode?: 'passthrough' | 'transcode';
  profile?: string;
}

export interface WorkerStats {
  type: 'stats';
  /** Frames per second leaving the worker (the source on air). */
  fps: number;
  bitrateKbps: number;
  source: VideoSource;
  selection: Selection;
  sources: { primary: SourceLiveness; backup?: SourceLiveness; slate: SourceLiveness };
  packetsOut: number;
  audioPacketsOut: number;
  rssMb: number;
}

export type WorkerToDaemon =
  | { type: 'ready' }
  | WorkerStats
  | { type: 'source'; source: VideoSource; reason: string }
  | { type: 'bus-error'; element: string; message: string };
