// The daemon's answers the page reads (daemon/modules/api/routes/*.ts), only the fields it uses.

export type GatewayState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'down';

export interface HealthReply {
  status: 'ok' | 'degraded';
  room: { id: string; name: string };
  devices: { id: string; kind: string; health: { state: string } }[];
  media?: { health: { state: string }; source: string | null; restarts: number };
  gateway?: { state: GatewayState; since: string; reason?: string; rttMs?: number };
  /** `alarm`: the recording fails (reason `disk-full` | `write-error`) since `since`; nothing is recorded until it clears. */
  recording?: { state: 'disabled' | 'idle' | 'recording' | 'waiting-for-worker'; hearing: string | null; segments: number; durationMs: number; alarm: { reason: string; message: string; since: string } | null };
  uploader?: { state: string; backlogFiles: number; backlogBytes: number; oldestAgeS: number; alarms?: unknown[] };
  /** Reports to the hub (absent: fleet reports are off). `recordingAlarmReportedAt`: the hub has the current recording alarm. */
  fleet?: { state: string; lastReportAt?: string; recordingAlarmReportedAt: string | null };
}

export interface Hearing {
  id: string;
  title: string;
  source: 'hub' | 'local';
  startedAt: string;
}

export interface KioskInfo {
  room: { id: string; name: string };
  gateway: { kioskSignalUrl: string };
  pinConfigured: boolean;
  autoLockSeconds: number;
  sessionMinutes: number;
}

export interface Participant {
  id: string;
  kind: 'room' | 'officer' | 'whip';
  name: string;
}

export interface Camera {
  id: string;
  name: string;
  health: { state: string };
}

export interface Preset {
  token: string;
  name: string;
}

export interface Channel {
  id: string;
  name: string;
  muted: boolean | null;
}
