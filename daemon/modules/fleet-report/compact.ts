import type { RecordingAlarm, ReportSummary } from '../../../common/contracts/fleet.js';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';

// GET /api/v1/health, compacted to what the hub's fleet view shows (common/contracts/fleet.ts ReportSummary).
// Pure: no I/O, tested with plain objects.

const int = (n: number) => Math.max(0, Math.round(n));

/** The recorder's alarm as the hub shows it (reason, since, the pipeline's words cut to the contract's length). */
export function recordingAlarm(a: { reason: string; message: string; since: string } | null): RecordingAlarm | null {
  return a ? { reason: a.reason.slice(0, 64), since: a.since.slice(0, 40), message: a.message.slice(0, 300) } : null;
}

function disk(r: NonNullable<HealthReply['retention']>): NonNullable<ReportSummary['disk']> {
  const minutes = (m: number | null) => (m === null ? null : int(m));
  return {
    freeMb: int(r.freeMb),
    minutesLeft: minutes(r.minutesLeft),
    minutesAtRate: minutes(r.minutesAtRate),
    rateKbps: int(r.rateKbps),
    rateBasis: r.rateBasis,
  };
}

/** What the health reply does not say: media worker restarts in the last hour (restart-window.ts). */
export interface ReportExtras {
  restartsLastHour?: number;
}

export function compactReport(h: HealthReply, reportSeconds: number, at: Date, extras: ReportExtras = {}): ReportSummary {
  return {
    at: at.toISOString(),
    version: h.version.slice(0, 64),
    uptimeS: Math.max(0, h.uptimeS),
    status: h.status,
    reportSeconds,
    devices: h.devices.slice(0, 64).map((d) => ({ id: d.id, kind: d.kind, state: d.health.state })),
    media: h.media ? { state: h.media.health.state, source: h.media.source } : null,
    gateway: h.gateway ? { state: h.gateway.state, ...(h.gateway.path ? { path: h.gateway.path } : {}) } : null,
    recording: h.recording
      ? {
          state: h.recording.state,
          hearing: h.recording.hearing,
          segments: int(h.recording.segments),
          alarm: recordingAlarm(h.recording.alarm),
        }
      : null,
    uploader: h.uploader
      ? {
          state: h.uploader.state,
          backlogFiles: int(h.uploader.backlogFiles),
          backlogBytes: int(h.uploader.backlogBytes),
          oldestAgeS: int(h.uploader.oldestAgeS),
          refusedFiles: int(h.uploader.refusedFiles),
          refused: h.uploader.refused
            .slice(0, 20)
            .map((r) => ({ file: `${r.hearing}/${r.file}`.slice(0, 200), code: r.code.slice(0, 64), message: r.message.slice(0, 300) })),
        }
      : null,
    // No sweep yet (lastSweepAt ''): free space is unknown, not 0.
    disk: h.retention?.lastSweepAt ? disk(h.retention) : null,
    ...(h.host !== undefined ? { host: h.host } : {}), // bounded at the source (common/contracts/host.ts)
    ...(h.kiosk ? { kiosk: h.kiosk } : {}), // the PIN lockout: someone guessing at the touch screen
    ...(h.clock !== undefined ? { clock: h.clock } : {}), // the last offset to the hub's clock
    ...(h.media ? { workerRestarts: { lastHour: int(extras.restartsLastHour ?? 0), total: int(h.media.restarts) } } : {}),
    // Loss: the gateway's /state does not measure it (yet); null says unknown, not 0.
    ...(h.gateway ? { link: { rttMs: h.gateway.rttMs !== undefined ? int(h.gateway.rttMs) : null, lossPercent: null } } : {}),
  };
}
