import type { Static } from '@sinclair/typebox';
import type {
  FleetHealth,
  GatewayLinkSummary,
  HealthReply,
  RecordingStatus,
  RetentionHealth,
  UploaderHealth,
} from '../../../common/contracts/daemon-api/health.js';
import type { HostSample } from '../../../common/contracts/host.js';
import type { KioskLock } from '../../../common/contracts/kiosk-lock.js';
import type { ClockReading } from '../../../common/contracts/clock.js';
import type { Health } from '../../../common/lifecycle.js';
import type { Devices } from '../devices/create-devices.js';

// One look at the room, from the modules that know each part. Pure apart from the process's own memory:
// every source is read through its summary()/status()/health(), nothing is kept here.

/** Where each part of the room's health comes from; the optional ones are absent on a daemon without them (and in tests). */
export interface HealthSources {
  devices: Pick<Devices, 'cameras' | 'dsp'>;
  room: { id: string; name: string };
  version: string;
  /** When the daemon started (uptime). */
  startedAt: number;
  /** The media worker, when this daemon runs one: its health counts like a device's. */
  media?: { health(): Health; status(): { source: string | null; restarts: number } };
  /** The gateway process, when the daemon watches one; shown, but not counted in `status` (no hub is normal offline). */
  gateway?: { summary(): GatewayLinkSummary };
  /** The local recording; a recording alarm (disk full) makes the room "degraded". */
  recorder?: { status(): RecordingStatus };
  /** Forwarding to the hub archive: backlog and alarms; an alarm makes the room "degraded". */
  uploader?: { summary(): Static<typeof UploaderHealth> };
  /** Local retention / disk pressure; a disk alarm makes the room "degraded". */
  retention?: { summary(): Static<typeof RetentionHealth> };
  /**
   * Reports to the hub: shown (whether the hub has heard of a recording alarm), not counted in `status`.
   * A getter: the fleet reporter is built after this module, since it sends what this module says.
   */
  fleet?: () => { summary(): Static<typeof FleetHealth> } | undefined;
  /** The box (modules/host-health): its last sample, taken on a worker thread; shown, not counted in `status`. */
  host?: { summary(): HostSample | null };
  /** The kiosk's PIN lockout (modules/kiosk): a lockout makes the room "degraded" while it lasts. */
  kiosk?: { lockout(): KioskLock };
  /** The camera that follows the talker (modules/audio-follow): shown, not counted in `status`. */
  audioFollow?: { state(): { mode: string; health: Health } };
  /** The room's clock against the hub's (modules/clock): shown with its alarm, not counted in `status`. */
  clock?: { summary(): ClockReading | null };
}

/** GET /api/v1/health: every device's state; "degraded" as soon as a device, a DSP meter, the worker, the recorder, the uploader or the disk has a problem, or the kiosk PIN is locked out. */
export function roomHealth(s: HealthSources): HealthReply {
  const devices = [
    ...[...s.devices.cameras.values()].map((c) => ({ id: c.config.id, kind: 'camera', health: c.driver.health() })),
    { id: 'audio', kind: 'audio', health: s.devices.dsp.health() },
  ];
  const media = s.media && { health: s.media.health(), source: s.media.status().source, restarts: s.media.status().restarts };
  const recording = s.recorder?.status();
  const uploader = s.uploader?.summary();
  const retention = s.retention?.summary();
  const fleet = s.fleet?.();
  const kiosk = s.kiosk?.lockout();
  const meters = s.devices.dsp.meters().map(({ channel, tag, index, state, error, lastAt, renewed }) => ({
    channel,
    tag,
    index,
    state,
    ...(error ? { error } : {}),
    ...(lastAt ? { lastAt: new Date(lastAt).toISOString() } : {}),
    ...(renewed ? { renewed } : {}),
  }));
  const follow = s.audioFollow?.state();
  const ok =
    devices.every((d) => d.health.state === 'online') &&
    (!media || media.health.state === 'online') &&
    !recording?.alarm &&
    !uploader?.alarms.length &&
    !retention?.alarm &&
    !kiosk?.locked &&
    !meters.some((m) => m.state === 'failed');
  return {
    status: ok ? 'ok' : 'degraded',
    room: s.room,
    version: s.version,
    uptimeS: Math.round((Date.now() - s.startedAt) / 100) / 10,
    memoryRssMb: Math.round(process.memoryUsage.rss() / 1048576),
    devices,
    ...(meters.length ? { meters } : {}),
    ...(follow ? { audioFollow: { mode: follow.mode, health: follow.health } } : {}),
    ...(media ? { media } : {}),
    ...(s.gateway ? { gateway: s.gateway.summary() } : {}),
    ...(recording ? { recording } : {}),
    ...(uploader ? { uploader } : {}),
    ...(retention ? { retention } : {}),
    ...(fleet ? { fleet: fleet.summary() } : {}),
    ...(s.host ? { host: s.host.summary() } : {}),
    ...(kiosk ? { kiosk } : {}),
    ...(s.clock ? { clock: s.clock.summary() } : {}),
  };
}
