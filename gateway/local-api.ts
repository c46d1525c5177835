import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '../common/log.js';
import { GATEWAY_STATE_PATH, GatewayStatus } from '../common/contracts/gateway-state.js';
import { kioskRoutes } from './kiosk-bridge/kiosk-routes.js';
import type { KioskSignalDeps } from './kiosk-bridge/kiosk-signal.js';

export interface LocalApiDeps {
  host: string;
  port: number;
  status: () => GatewayStatus;
  kiosk: KioskSignalDeps;
  logger: Logger;
}

/** The gateway's local HTTP: `/state` for the daemon and monitors, the kiosk bridge for the screen. */
export async function buildLocalApi(deps: LocalApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: 16 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(websocket, { options: { maxPayload: 128 * 1024 } });
  // Polled twice a second by the daemon: not worth a log line each.
  app.get(GATEWAY_STATE_PATH, { logLevel: 'warn', schema: { response: { 200: GatewayStatus } } }, async () => deps.status());
  await app.register(kioskRoutes, deps.kiosk);
  return app;
}

export function createLocalApi(deps: LocalApiDeps) {
  let app: FastifyInstance | undefined;
  return {
    async start(): Promise<void> {
      app = await buildLocalApi(deps);
      await app.listen({ host: deps.host, port: deps.port });
    },
    async stop(): Promise<void> {
      // Kiosk sockets would hold close() open; they reconnect by themselves anyway.
      for (const c of app?.websocketServer?.clients ?? []) c.terminate();
      await app?.close();
    },
    address(): string {
      const a = app?.server.address();
      return a && typeof a === 'object' ? `http://${a.address}:${a.port}` : '';
    },
  };
}
