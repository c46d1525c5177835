import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DaemonEvents, EventBus } from '../../events/event-bus.js';

const TYPES = [
  'device',
  'meter',
  'channel',
  'ptz',
  'media',
  'gateway',
  'hearing',
  'recording',
  'uploader',
  'alarm',
] as const satisfies readonly (keyof DaemonEvents)[];

/**
 * Live events over a WebSocket: meter levels, device state changes, PTZ actions, media source
 * switches and worker restarts, the gateway's link state, hearings, recording, uploads and alarms.
 * Each message is `{"type": ..., "at": ISO, "data": {...}}`; `?types=meter,device` filters.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{ bus: EventBus }> = async (app, { bus }) => {
  app.get(
    '/events',
    {
      websocket: true,
      config: { role: 'monitor' },
      schema: {
        tags: ['events'],
        summary: 'WebSocket: live meters and device state',
        querystring: Type.Object({
          types: Type.Optional(Type.String({ description: `comma-separated subset of ${TYPES.join(', ')}` })),
          token: Type.Optional(Type.String({ description: 'API token, for clients that cannot set Authorization' })),
        }),
      },
    },
    (socket, req) => {
      const wanted = new Set(req.query.types ? req.query.types.split(',') : TYPES);
      const unsubscribers = TYPES.filter((t) => wanted.has(t)).map((type) => {
        const listener = (data: unknown) => {
          // A slow client must not grow our memory without bound: drop meters when it lags.
          if (type === 'meter' && socket.bufferedAmount > 256 * 1024) return;
          socket.send(JSON.stringify({ type, at: new Date().toISOString(), data }));
        };
        bus.on(type, listener as never);
        return () => bus.off(type, listener as never);
      });
      socket.send(JSON.stringify({ type: 'hello', at: new Date().toISOString(), data: { types: [...wanted] } }));
      socket.on('close', () => unsubscribers.forEach((u) => u()));
      socket.on('error', () => socket.terminate());
    },
  );
};
