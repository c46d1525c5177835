import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Health } from '../../../../common/lifecycle.js';
import type { Devices } from '../../devices/create-devices.js';
import { HealthReply, type GatewayLinkSummary } from '../../../../common/contracts/daemon-api/health.js';
import type { UploaderSummary } from '../../uploader/create-uploader.js';
import type { Retention } from '../../retention/create-retention.js';
import type { RecorderStatus } from '../../recorder/create-recorder.js';
import type { FleetReport } from '../../fleet-report/create-fleet-report.js';

export interface HealthRouteDeps {
  devices: Devices;
  room: { id: string; name: string };
  version: string;
  startedAt: number;
  /** The media worker, when this daemon runs one: its health counts like a device's. */
  media?: { health(): Health; status(): { source: string | null; restarts: number } };
  /** The gateway process, when the daemon watches one; shown, but not counted in `status` (no hub is normal offline). */
  gateway?: { summary(): GatewayLinkSummary };
  /** The local recording; a recording alarm (disk full) makes the room "degraded". */
  recorder?: { status(): RecorderStatus };
  /** Forwarding to the hub archive: backlog and alarms; an alarm makes the room "degraded". */
  uploader?: { summary(): UploaderSummary };
  /** Local retention / disk pressure; a disk alarm makes the room "degraded". */
  retention?: { summary(): ReturnType<Retention['summary']> };
  /** Reports to the hub: shown (whether the hub has heard of a recording alarm), not counted in `status`. */
  fleet?: { summary(): ReturnType<FleetReport['summary']> };
}

/** One look at the room: every device's state; "degraded" as soon as one is not online. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteDeps> = async (app, deps) => {
  app.get('/health', {
    config: { role: 'monitor' },
    schema: {
      tags: ['health'],
      summary: 'Room health',
      response: {
        200: HealthReply, // common/contracts/daemon-api/health.ts: the kiosk reads it
      },
    },
  }, async () => healthSnapshot(deps));
};

/** What GET /api/v1/health answers; the fleet reporter (modules/fleet-report) sends a compact form of it. */
export function healthSnapshot(deps: HealthRouteDeps) {
  const devices = [
    ...[...deps.devices.cameras.values()].map((c) => ({ id: c.config.id, kind: 'camera', health: c.driver.health() })),
    { id: 'audio', kind: 'audio', health: deps.devices.dsp.health() },
  ];
  const media = deps.media && { health: deps.media.health(), source: deps.media.status().source, restarts: deps.media.status().restarts };
  const recording = deps.recorder?.status();
  const uploader = deps.uploader?.summary();
  const retention = deps.retention?.summary();
  return {
    status: devices.every((d) => d.health.state === 'online') && (!media || media.health.state === 'online') && !recording?.alarm && !uploader?.alarms.length && !retention?.alarm ? ('ok' as const) : ('degraded' as const),
    room: deps.room,
    version: deps.version,
    uptimeS: Math.round((Date.now() - deps.startedAt) / 100) / 10,
    memoryRssMb: Math.round(process.memoryUsage.rss() / 1048576),
    devices,
    ...(media ? { media } : {}),
    ...(deps.gateway ? { gateway: deps.gateway.summary() } : {}),
    ...(recording ? { recording } : {}),
    ...(uploader ? { uploader } : {}),
    ...(retention ? { retention } : {}),
    ...(deps.fleet ? { fleet: deps.fleet.summary() } : {}),
  };
}
export type HealthSnapshot = ReturnType<typeof healthSnapshot>;
