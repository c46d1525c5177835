import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '../common/log.js';
import { GATEWAY_STATE_PATH, GatewayStatus } from '../common/contracts/gateway-state.js';
import { isStateToken } from '../common/local-bridge/bridge-ticket.js';
import { tokenFrom } from '../common/http/credentials.js';
import { ErrorReply, errorResponses, sendError } from '../common/http/error-reply.js';
import { createKioskGuard, DEFAULT_MAX_KIOSK_PEERS } from './kiosk-bridge/kiosk-guard.js';
import { kioskRoutes } from './kiosk-bridge/kiosk-routes.js';
import type { KioskSignalDeps } from './kiosk-bridge/kiosk-signal.js';

export interface LocalApiDeps {
  host: string;
  port: number;
  status: () => GatewayStatus;
  kiosk: KioskSignalDeps;
  /** The room's local secret (common/local-bridge) and who may open the kiosk bridge. */
  local: {
    secret: Buffer;
    /** The kiosk page's origins (the daemon's, e.g. http://127.0.0.1:8080); this API's own origin is added. */
    kioskOrigins: string[];
    maxKioskPeers?: number;
  };
  logger: Logger;
}

/** The origins of an HTTP server listening on host:port, as a browser on the box names them. */
export function originsOf(host: string, port: number): string[] {
  if (['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'].includes(host))
    return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
  return [`http://${host.includes(':') ? `[${host}]` : host}:${port}`];
}

/**
 * The gateway's local HTTP: `/state` for the daemon (a token derived from the local secret), the kiosk
 * bridge for the screen (a page of the kiosk's origin with a ticket the daemon issued, peers capped).
 */
export async function buildLocalApi(deps: LocalApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: 16 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ErrorReply);
  let own: string[] = [];
  app.addHook('onListen', async () => {
    const a = app.server.address();
    if (a && typeof a === 'object') own = originsOf(a.address, a.port);
  });
  const guard = createKioskGuard({
    secret: deps.local.secret,
    origins: () => [...deps.local.kioskOrigins, ...own],
    maxPeers: deps.local.maxKioskPeers ?? DEFAULT_MAX_KIOSK_PEERS,
  });
  await app.register(websocket, { options: { maxPayload: 128 * 1024, handleProtocols: guard.handleProtocols } });
  // Polled twice a second by the daemon: not worth a log line each.
  app.get(
    GATEWAY_STATE_PATH,
    { logLevel: 'warn', schema: { response: { 200: GatewayStatus, ...errorResponses(401) } } },
    async (req, reply) => {
      if (!isStateToken(deps.local.secret, tokenFrom(req.headers)))
        return sendError(reply, 401, 'UNAUTHORIZED', "cần mã của tiến trình phòng / the room daemon's local token is needed");
      return deps.status();
    },
  );
  await app.register(kioskRoutes, { ...deps.kiosk, guard });
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
