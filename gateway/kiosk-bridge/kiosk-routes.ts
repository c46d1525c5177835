import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { kioskSignal, type KioskSignalOptions } from './kiosk-signal.js';

/** public/ beside this file (tsx, tests) or in the source tree (compiled dist/ does not copy it). */
function publicDir(): string {
  const here = fileURLToPath(new URL('./public/', import.meta.url));
  return existsSync(here) ? here : fileURLToPath(new URL('../../../gateway/kiosk-bridge/public/', import.meta.url));
}

/**
 * The kiosk bridge: the signaling WebSocket and the plain test page (the real kiosk UI reuses the WS).
 * The test page needs a ticket like the kiosk page: `/kiosk/test#ticket=<ticket>` (the fragment never
 * reaches a server or a log).
 */
export const kioskRoutes: FastifyPluginAsync<KioskSignalOptions> = async (app, deps) => {
  await app.register(fastifyStatic, { root: publicDir(), prefix: '/kiosk/', index: false, wildcard: false });
  app.get('/kiosk/test', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('test.html'));
  await app.register(kioskSignal, deps);
};
