import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Devices } from '../../devices/create-devices.js';
import { HealthSchema } from '../schemas.js';

export interface HealthRouteDeps {
  devices: Devices;
  room: { id: string; name: string };
  version: string;
  startedAt: number;
}

/** One look at the room: every device's state; "degraded" as soon as one is not online. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteDeps> = async (app, deps) => {
  app.get('/health', {
    config: { role: 'monitor' },
    schema: {
      tags: ['health'],
      summary: 'Room health',
      response: {
        200: Type.Object({
          status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
          room: Type.Object({ id: Type.String(), name: Type.String() }),
          version: Type.String(),
          uptimeS: Type.Number(),
          memoryRssMb: Type.Number(),
          devices: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), health: HealthSchema })),
        }),
      },
    },
  }, async () => {
    const devices = [
      ...[...deps.devices.cameras.values()].map((c) => ({ id: c.config.id, kind: 'camera', health: c.driver.health() })),
      { id: 'audio', kind: 'audio', health: deps.devices.dsp.health() },
    ];
    return {
      status: devices.every((d) => d.health.state === 'online') ? ('ok' as const) : ('degraded' as const),
      room: deps.room,
      version: deps.version,
      uptimeS: Math.round((Date.now() - deps.startedAt) / 100) / 10,
      memoryRssMb: Math.round(process.memoryUsage.rss() / 1048576),
      devices,
    };
  });
};
