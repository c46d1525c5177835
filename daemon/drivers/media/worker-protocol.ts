// The IPC between the daemon and its media worker (child_process.fork, JSON messages).
// Shared by both sides so a change breaks the build, not the room.

/** Env naming the fd on which the worker inherits the recordings' writer lock, and that lock's directory. */
export const WORKER_LOCK_FD_ENV = 'RECEPTION_WRITER_LOCK_FD';
export const WORKER_LOCK_DIR_ENV = 'RECEPTION_WRITER_LOCK_DIR';

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
  /** First of REMOTE_AUDIO_SLOTS fixed loopback ports the gateway sends remote participants' Opus RTP to (0: none). */
  remoteAudioRtpPort: number;
}

/** Record the on-air media into `<dir>/seg-%05d.ts` from `startIndex` on, until record-stop. */
export interface RecordRequest {
  hearing: string;
  dir: string;
  startIndex: number;
  segmentSeconds: number;
}

export type DaemonToWorker =
  | ({ type: 'start' } & WorkerSettings)
  | { type: 'select'; source: Selection }
  | { type: 'keyframe' }
  /** The live picture for the link (issue 12 item 2): kbps = re-encode at that video bitrate; null = passthrough. */
  | { type: 'live-rate'; kbps: number | null }
  | ({ type: 'record' } & RecordRequest)
  | { type: 'record-stop' }
  | { type: 'stop' };

/** Recording reports; times are ISO wall clock (the pipeline's running time mapped onto Date.now() at play). */
export type RecordingMessage =
  | { type: 'segment-opened'; hearing: string; file: string; start: string }
  | { type: 'segment-closed'; hearing: string; file: string; start: string; end: string }
  /** The recording pipeline failed (e.g. disk full); `file` was open and is likely truncated. It retries by itself. */
  | { type: 'record-error'; hearing: string; file: string | null; element: string; message: string; retryInMs: number }
  | { type: 'record-stopped'; hearing: string };

export interface SourceLiveness {
  alive: boolean;
  /** ms since the last frame; null before the first one. */
  lastFrameAgoMs: number | null;
  fps: number;
  /** 'passthrough' | 'transcode' once the first caps are known. */
  mode?: 'passthrough' | 'transcode';
  profile?: string;
  /** Why the source has no picture (e.g. `src: Could not open resource…`, `v4l2src0: Cannot identify device '/dev/video0'`). */
  lastError?: string;
}

/** The room microphone (audioSource alsa or test); absent when the audio comes with the camera. */
export interface MicrophoneLiveness {
  source: 'alsa' | 'test';
  /** The ALSA device (alsa only). */
  device?: string;
  alive: boolean;
  /** ms since the last audio buffer; null before the first one. */
  lastBufferAgoMs: number | null;
  /** Why it has no sound (the device that failed and GStreamer's words). */
  lastError?: string;
}

export interface WorkerStats {
  type: 'stats';
  /** Frames per second leaving the worker (the source on air). */
  fps: number;
  bitrateKbps: number;
  source: VideoSource;
  selection: Selection;
  sources: { primary: SourceLiveness; backup?: SourceLiveness; slate: SourceLiveness };
  microphone?: MicrophoneLiveness;
  packetsOut: number;
  audioPacketsOut: number;
  rssMb: number;
  /** The live picture sent to the gateway: absent/null = the on-air picture as it is; else re-encoded for a poor link. */
  live?: { kbps: number; fps: number } | null;
}

export type WorkerToDaemon =
  | { type: 'ready' }
  | WorkerStats
  | { type: 'source'; source: VideoSource; reason: string }
  | { type: 'bus-error'; element: string; message: string }
  | RecordingMessage;
